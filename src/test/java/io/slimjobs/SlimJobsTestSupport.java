package io.slimjobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.config.Definitions;
import io.slimjobs.config.JobOverrides;
import io.slimjobs.config.JobsConfiguration;
import io.slimjobs.config.JobsConfigurationLoader;
import io.slimjobs.demo.EmbeddedCluster;
import io.slimjobs.kube.JobFactory;
import io.slimjobs.kube.Labels;
import io.slimjobs.demo.SimulatedKubelet;
import io.slimjobs.trigger.GuardRails;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.DefaultRegistry;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;

/**
 * Boots the whole application, as `java -jar` does, against fabric8's mock API server in CRUD mode with a
 * simulated kubelet that moves Jobs only when a test says so. Each test gets its own API server and a
 * namespace named after the test method; HTTP calls go to the real server on a free port.
 */
public abstract class SlimJobsTestSupport extends CamelMainTestSupport {

    /** A Public job with every field set, a Private one, and a Public `Default` with an image. */
    protected static final String CONFIGURATION = """
            {
              "Configurations": {
                "fibonacci": {
                  "Image": "axaguildev/fibonacci-batch:latest",
                  "ImagesWhitelist": ["axaguildev/fibonacci-batch:*"],
                  "Resources": {
                    "Requests": { "cpu": "400m", "memory": "400Mi" },
                    "Limits": { "cpu": "400m", "memory": "400Mi" }
                  },
                  "Environments": [
                    { "Name": "MODE", "Value": "fast" },
                    { "Name": "TOKEN", "SecretRef": { "Name": "fib-secret", "Key": "token" } }
                  ],
                  "BackoffLimit": 3,
                  "Visibility": "Public",
                  "NumberParallelJob": 2,
                  "TtlSecondsAfterFinished": 3600,
                  "RestartPolicy": "Never"
                },
                "secret-job": {
                  "Image": "registry.local/secret:1",
                  "Visibility": "Private"
                },
                "Default": {
                  "Image": "busybox:1.36",
                  "Visibility": "Public"
                }
              }
            }
            """;

    protected EmbeddedCluster cluster;
    protected String namespace;
    protected int port;
    protected HttpCaller http;
    /** What was logged from before SlimJobs started until the test ended. */
    protected LogCapture log;
    /** Handed to Camel from the constructor and filled once the API server is up; never initialised here. */
    private Properties overrides;
    /** The directory holding the configuration file, laid out as a ConfigMap volume. */
    private Path configurationVolume;

    /** The jobs configuration this test class runs with. */
    protected String jobsConfiguration() {
        return CONFIGURATION;
    }

    /** Properties a test class sets on top of the defaults. */
    protected Map<String, String> properties() {
        return Map.of();
    }

    /** The clock SlimJobs' schedules read "now" from; null: the system clock. */
    protected Clock clock() {
        return null;
    }

    /** Bound here, before SlimJobs wires itself: bindToRegistry would come after. */
    @Override
    protected Registry createCamelRegistry() throws Exception {
        Registry registry = super.createCamelRegistry();
        if (registry == null) {
            registry = new DefaultRegistry();
        }
        if (clock() != null) {
            registry.bind(SlimJobsBeans.CLOCK, clock());
        }
        return registry;
    }

    /** Another SlimJobs on this test's API server, namespace and configuration, with those properties of its own. */
    protected SlimJobsReplica replica(String name, Map<String, String> own, Map<String, Object> beans) {
        return new SlimJobsReplica(name, overrides, own, beans);
    }

    @Override
    protected Class<?> getMainClass() {
        return SlimJobsApplication.class;
    }

    @Override
    protected void doPreSetup() throws Exception {
        namespace = getCurrentTestName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-|-$", "");
        namespace = namespace.substring(0, Math.min(namespace.length(), 63)).replaceAll("-$", "");
        log = LogCapture.start();
        cluster = EmbeddedCluster.start(namespace, null);
        port = AvailablePortFinder.getNextAvailable();
        http = new HttpCaller(port);
        overrides.put("slimjobs.http.port", String.valueOf(port));
        overrides.put("slimjobs.kubernetes.master-url", cluster.masterUrl());
        overrides.put("slimjobs.namespace", namespace);
        overrides.put("slimjobs.config.file", writeConfiguration().toString());
        overrides.putAll(properties());
    }

    /**
     * Whether setup waits until the job definitions are whole (the CronJobs read): requests before get a 503, and a
     * Service sends none to a pod that is not ready yet.
     */
    protected boolean awaitDefinitions() {
        return true;
    }

    @Override
    protected void doPostSetup() throws Exception {
        super.doPostSetup();
        if (awaitDefinitions()) {
            Definitions definitions = context.getRegistry().lookupByNameAndType("definitions", Definitions.class);
            awaitUntil("the job definitions read", Duration.ofSeconds(30), definitions::whole);
        }
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        overrides = new Properties();
        configuration.withUseOverridePropertiesWithPropertiesComponent(overrides);
    }

    /**
     * Writes the configuration the way the kubelet lays out a ConfigMap volume: `jobs.json` is a link to
     * `..data/jobs.json`, and `..data` a link to a directory holding this version.
     */
    private Path writeConfiguration() {
        try {
            configurationVolume = Files.createTempDirectory("slimjobs-config-");
            changeConfiguration(jobsConfiguration());
            return Files.createSymbolicLink(configurationVolume.resolve("jobs.json"), Path.of("..data", "jobs.json"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Replaces the configuration file the way the kubelet updates a ConfigMap volume: the new version in a new
     * directory, then `..data` switched to it in one rename, then the old version's directory removed.
     */
    protected void changeConfiguration(String json) {
        try {
            Path version = Files.createDirectory(configurationVolume.resolve("..version-" + System.nanoTime()));
            Files.writeString(version.resolve("jobs.json"), json);
            Path data = configurationVolume.resolve("..data");
            Path previous = Files.isSymbolicLink(data) ? configurationVolume.resolve(Files.readSymbolicLink(data)) : null;
            Path link = Files.createSymbolicLink(configurationVolume.resolve("..data_tmp"), version.getFileName());
            Files.move(link, data, StandardCopyOption.ATOMIC_MOVE);
            if (previous != null) {
                deleteRecursively(previous);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes the configuration file's current version, as a volume caught between two versions shows none. */
    protected void removeConfiguration() {
        try {
            Path data = configurationVolume.resolve("..data");
            Path version = configurationVolume.resolve(Files.readSymbolicLink(data));
            Files.delete(data);
            deleteRecursively(version);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (var children = Files.list(path)) {
                for (Path child : children.toList()) {
                    deleteRecursively(child);
                }
            }
        }
        Files.deleteIfExists(path);
    }

    @Override
    protected void doPostTearDown() throws Exception {
        // JUnit runs this before the extension stops the context: stop it first, as a pod is stopped while its
        // API server stays up, so that shutdown (giving the Lease up) meets a live API server
        if (context != null) {
            context.stop();
        }
        cluster.close();
        deleteRecursively(configurationVolume);
        log.close();
    }

    /** The lines logged so far that contain {@code text}. */
    protected List<String> logLines(String text) {
        return log.lines().stream().filter(line -> line.contains(text)).toList();
    }

    /** The job definitions in force in SlimJobs now. */
    protected JobsConfiguration definitionsInForce() {
        return context.getRegistry().lookupByNameAndType("definitions", Definitions.class).current();
    }

    protected KubernetesClient kube() {
        return cluster.client();
    }

    protected SimulatedKubelet kubelet() {
        return cluster.kubelet();
    }

    // --- HTTP ------------------------------------------------------------------------------------------

    protected Answer get(String path) {
        return http.call(HttpCaller.OUTSIDER, "GET", path, Map.of(), null);
    }

    protected Answer post(String path, String json) {
        return http.call(HttpCaller.OUTSIDER, "POST", path, Map.of("Content-Type", "application/json"), json);
    }

    protected Answer delete(String path) {
        return http.call(HttpCaller.OUTSIDER, "DELETE", path, Map.of(), null);
    }

    /** What `/metrics` says now. */
    protected MetricSamples metrics() {
        Answer answer = get("/metrics");
        if (answer.status() != 200) {
            throw new AssertionError("expected 200 from /metrics but got " + answer);
        }
        return MetricSamples.parse(answer.body());
    }

    /** Triggers a job and returns the execution id, failing the test on anything but 202. */
    protected String trigger(String jobName, String json) {
        Answer answer = post("/job/" + jobName, json);
        if (answer.status() != 202) {
            throw new AssertionError("expected 202 for " + jobName + " but got " + answer);
        }
        return answer.json().get("Id").asText();
    }

    // --- Kubernetes state --------------------------------------------------------------------------------

    /**
     * Builds the Jobs triggers of {@code jobName} would create under this class's configuration, enqueued in the
     * order they are built from {@code enqueuedFrom} on: what a previous replica left in the cluster.
     */
    protected Function<String, Job> jobsAsTriggered(String jobName, Instant enqueuedFrom) {
        var definition = JobsConfigurationLoader.parse(new JobsConfigurationLoader.Source("test", jobsConfiguration()))
                .definitionFor(jobName);
        var plan = GuardRails.apply(jobName, definition, JobOverrides.NONE);
        JobFactory factory = new JobFactory(namespace, Clock.fixed(enqueuedFrom, ZoneOffset.UTC));
        return executionId -> factory.build(plan, executionId, null);
    }

    protected List<Job> jobs() {
        return kube().batch().v1().jobs().inNamespace(namespace).list().getItems();
    }

    protected Job jobOf(String executionId) {
        return kube().batch().v1().jobs().inNamespace(namespace).withLabel(Labels.ID, executionId).list()
                .getItems().stream().findFirst()
                .orElseThrow(() -> new AssertionError("no Job for execution " + executionId));
    }

    /** A Deployment with that many replicas asked for and those annotations; its readiness follows. */
    protected void createDeployment(String name, int replicas, Map<String, String> annotations) {
        kube().apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withAnnotations(annotations).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                    .withNewSpec().addNewContainer().withName(name).withImage("nginx:1").endContainer().endSpec()
                    .endTemplate()
                .endSpec().build()).create();
    }

    protected void createStatefulSet(String name, int replicas, Map<String, String> annotations) {
        kube().apps().statefulSets().inNamespace(namespace).resource(new StatefulSetBuilder()
                .withNewMetadata().withName(name).withAnnotations(annotations).endMetadata()
                .withNewSpec().withReplicas(replicas).withServiceName(name)
                    .withNewSelector().addToMatchLabels("app", name).endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                    .withNewSpec().addNewContainer().withName(name).withImage("postgres:16").endContainer().endSpec()
                    .endTemplate()
                .endSpec().build()).create();
    }

    /** The entry `GET /job/{name}` lists for an execution. */
    protected JsonNode listed(String jobName, String executionId) {
        return listing(jobName, executionId)
                .orElseThrow(() -> new AssertionError("execution " + executionId + " is not listed under " + jobName));
    }

    /** Whether `GET /job/{name}` lists the execution. */
    protected boolean isListed(String jobName, String executionId) {
        return listing(jobName, executionId).isPresent();
    }

    private Optional<JsonNode> listing(String jobName, String executionId) {
        for (var execution : get("/job/" + jobName).json()) {
            if (execution.get("Id").asText().equals(executionId)) {
                return Optional.of(execution);
            }
        }
        return Optional.empty();
    }

    /** The status `GET /job/{name}` shows for an execution. */
    protected String statusOf(String jobName, String executionId) {
        for (var execution : get("/job/" + jobName).json()) {
            if (execution.get("Id").asText().equals(executionId)) {
                return execution.get("Status").asText();
            }
        }
        return "absent";
    }

    /**
     * Returns once the dispatcher has weighed everything asked of it so far: its passes run one at a time in the
     * order they were asked for, so once a `marker` execution triggered now has left the queue, every earlier pass
     * is done. The test's configuration must give `marker` a NumberParallelJob that never holds it back.
     */
    protected void awaitDispatcherCaughtUp() {
        String marker = trigger("marker", "");
        awaitUntil("the dispatcher caught up", () -> releaseSeen(marker));
    }

    /**
     * Whether the release of an execution of `marker` has been seen: here, as SlimJobs lists it. A test that watches
     * releases itself looks there instead, so that it has seen every earlier release too.
     */
    protected boolean releaseSeen(String markerId) {
        return !statusOf("marker", markerId).equals("Queued");
    }

    public static void awaitUntil(String what, BooleanSupplier condition) {
        awaitUntil(what, Duration.ofSeconds(15), condition);
    }

    public static void awaitUntil(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * Runs a read-modify-write of the test's own again when the API server answers 409: a controller (the simulated
     * kubelet, a Lease renewal) wrote the object between the read and the write.
     */
    public static void retryingConflicts(Runnable write) {
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }
}
