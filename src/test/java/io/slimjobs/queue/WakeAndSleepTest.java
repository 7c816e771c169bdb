package io.slimjobs.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.config.Definitions;
import io.slimjobs.config.JobsConfigurationLoader;
import io.slimjobs.kube.DependencyIndex;
import io.slimjobs.kube.JobIndex;
import io.slimjobs.kube.Labels;
import io.slimjobs.kube.PodIndex;
import io.slimjobs.observe.ExecutionDecisions;
import org.junit.jupiter.api.Test;

/**
 * A dependency at 0 replicas that opts in is woken while executions need it and put back to 0 once the last one
 * finished and its idle delay passed, only if SlimJobs woke it and nobody scaled it since.
 */
class WakeAndSleepTest extends SlimJobsTestSupport {

    private static final Map<String, String> WAKES = Map.of(Labels.WAKE_ON_DEMAND, "true");

    @Override
    protected String jobsConfiguration() {
        return """
                {"Configurations": {
                  "needs-sleepy": {"Image": "busybox:1.36", "Visibility": "Public", "NumberParallelJob": 5,
                                   "DependsOn": ["sleepy"]},
                  "marker": {"Image": "busybox:1.36", "Visibility": "Public", "NumberParallelJob": 100},
                  "Default": {"Image": "busybox:1.36", "Visibility": "Public", "NumberParallelJob": 5}
                }}
                """;
    }

    private Deployment deployment(String name) {
        return kube().apps().deployments().inNamespace(namespace).withName(name).get();
    }

    private int replicasOf(String name) {
        return deployment(name).getSpec().getReplicas();
    }

    private String wakeMarkOf(String name) {
        return deployment(name).getMetadata().getAnnotations().get(Labels.WOKEN);
    }

    private void awaitRunning(String jobName, String id) {
        awaitUntil(id + " running", () -> statusOf(jobName, id).equals("Running"));
    }

    private void finish(String id) {
        kubelet().succeed(jobOf(id).getMetadata().getName());
    }

    @Test
    void should_wake_only_a_dependency_that_opts_in() {
        createDeployment("lazy", 0, Map.of());
        createDeployment("sleepy", 0, Map.of(Labels.WAKE_ON_DEMAND, "true", Labels.WAKE_REPLICAS, "2"));
        String waitsForLazy = trigger("other", "{\"DependsOn\": [\"lazy\"]}");
        String wakesSleepy = trigger("needs-sleepy", "");

        awaitRunning("needs-sleepy", wakesSleepy);
        assertEquals(2, replicasOf("sleepy"));
        assertEquals("{\"replicas\":2}", wakeMarkOf("sleepy"));
        awaitDispatcherCaughtUp();
        assertEquals("Queued", statusOf("other", waitsForLazy));
        assertEquals("deployment lazy is scaled to 0 replicas and does not opt in to waking (annotation "
                + "slimjobs.io/wake-on-demand: \"true\")", listed("other", waitsForLazy).get("Reason").asText());
        assertEquals(0, replicasOf("lazy"));
        assertNull(deployment("lazy").getMetadata().getAnnotations().get(Labels.WOKEN));
    }

    @Test
    void should_put_back_to_sleep_only_what_it_woke_once_its_idle_delay_has_passed() {
        createDeployment("sleepy", 0, Map.of(Labels.WAKE_ON_DEMAND, "true", Labels.IDLE_SECONDS, "1"));
        createDeployment("awake", 1, Map.of(Labels.WAKE_ON_DEMAND, "true", Labels.IDLE_SECONDS, "0"));
        String id = trigger("needs-sleepy", "{\"DependsOn\": [\"sleepy\", \"awake\"]}");
        awaitRunning("needs-sleepy", id);
        assertEquals(1, replicasOf("sleepy"));

        Instant finished = Instant.now();
        finish(id);
        awaitUntil("sleepy back to 0", () -> replicasOf("sleepy") == 0);
        assertTrue(!Instant.now().isBefore(finished.plusSeconds(1)), "not before its idle delay");
        assertNull(wakeMarkOf("sleepy"));
        assertEquals(1, replicasOf("awake"), "SlimJobs did not wake it, so it leaves it up");
    }

    @Test
    void should_wake_a_statefulset_and_put_it_back_to_sleep_as_it_does_a_deployment() {
        createStatefulSet("sleepy", 0, Map.of(Labels.WAKE_ON_DEMAND, "true", Labels.IDLE_SECONDS, "0"));
        String id = trigger("needs-sleepy", "");
        awaitRunning("needs-sleepy", id);
        assertEquals(1, statefulSetReplicasOf("sleepy"));
        assertEquals("{\"replicas\":1}", kube().apps().statefulSets().inNamespace(namespace).withName("sleepy").get()
                .getMetadata().getAnnotations().get(Labels.WOKEN));

        finish(id);
        awaitUntil("sleepy back to 0", () -> statefulSetReplicasOf("sleepy") == 0);
    }

    private int statefulSetReplicasOf(String name) {
        return kube().apps().statefulSets().inNamespace(namespace).withName(name).get().getSpec().getReplicas();
    }

    @Test
    void should_keep_it_awake_while_another_execution_needs_it() {
        createDeployment("sleepy", 0, Map.of(Labels.WAKE_ON_DEMAND, "true", Labels.IDLE_SECONDS, "0"));
        String first = trigger("needs-sleepy", "");
        String second = trigger("needs-sleepy", "");
        awaitRunning("needs-sleepy", first);
        awaitRunning("needs-sleepy", second);

        finish(first);
        awaitUntil(first + " finished", () -> statusOf("needs-sleepy", first).equals("Succeeded"));
        awaitDispatcherCaughtUp();
        assertEquals(1, replicasOf("sleepy"), "the second execution still needs it");

        finish(second);
        awaitUntil("sleepy back to 0", () -> replicasOf("sleepy") == 0);
    }

    @Test
    void should_leave_up_what_a_person_scaled_after_SlimJobs_woke_it() {
        createDeployment("sleepy", 0, Map.of(Labels.WAKE_ON_DEMAND, "true", Labels.IDLE_SECONDS, "0"));
        String id = trigger("needs-sleepy", "");
        awaitRunning("needs-sleepy", id);

        kube().apps().deployments().inNamespace(namespace).withName("sleepy").scale(3);
        awaitUntil("the wake mark forgotten", () -> wakeMarkOf("sleepy") == null);
        finish(id);
        awaitUntil(id + " finished", () -> statusOf("needs-sleepy", id).equals("Succeeded"));
        awaitDispatcherCaughtUp();
        assertEquals(3, replicasOf("sleepy"));
    }

    /** SlimJobs wakes `sleepy` for an execution, then stops while it runs: returns the execution's Job name. */
    private String wakeThenStop(String idleSeconds) {
        createDeployment("sleepy", 0, Map.of(Labels.WAKE_ON_DEMAND, "true", Labels.IDLE_SECONDS, idleSeconds));
        String id = trigger("needs-sleepy", "");
        awaitRunning("needs-sleepy", id);
        String jobName = jobOf(id).getMetadata().getName();
        context.stop();
        return jobName;
    }

    /** The wake mark lives on the object: a SlimJobs started after the wake, on the same API server, sleeps it. */
    @Test
    void should_put_it_back_to_sleep_after_a_restart_between_wake_and_sleep() {
        kubelet().succeed(wakeThenStop("1"));

        try (Instance restarted = new Instance()) {
            restarted.awaitCachesThenResync();
            awaitUntil("sleepy back to 0", () -> replicasOf("sleepy") == 0);
            assertNull(wakeMarkOf("sleepy"));
        }
    }

    /** With no Job left to wake the dispatcher, its periodic resync still weighs what SlimJobs woke. */
    @Test
    void should_put_it_back_to_sleep_after_a_restart_when_its_executions_are_gone() {
        kube().batch().v1().jobs().inNamespace(namespace).withName(wakeThenStop("0")).delete();
        awaitUntil("its Job gone", () -> jobs().isEmpty());

        try (Instance restarted = new Instance()) {
            restarted.awaitCachesThenResync();
            awaitUntil("sleepy back to 0", () -> replicasOf("sleepy") == 0);
        }
    }

    /** A SlimJobs dispatcher on this test's API server, wired as the application wires it, without HTTP. */
    private final class Instance implements AutoCloseable {

        final PodIndex pods = new PodIndex(kube(), namespace, 0);
        final DependencyIndex dependencies = new DependencyIndex(kube(), namespace, 0);
        final CapGroups capGroups = new CapGroups(new Definitions(JobsConfigurationLoader.parse(
                new JobsConfigurationLoader.Source("test", jobsConfiguration()))));
        final JobIndex jobs = new JobIndex(kube(), namespace, 0, pods, capGroups.inForce(), dependencies);
        final Dispatcher dispatcher = new Dispatcher(kube(), namespace, jobs, capGroups, Clock.systemUTC(),
                Duration.ofMinutes(5), dependencies, new ExecutionDecisions());
        final ExecutorService loop = Executors.newSingleThreadExecutor();
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

        Instance() {
            jobs.onChange(dispatcher::enqueue);
            dependencies.onChange(dispatcher::dependencyChanged);
            dependencies.start();
            pods.start();
            jobs.start();
            // what the routes do, on one thread: a requested pass runs once, releases go out unthrottled
            dispatcher.start(capGroup -> loop.execute(() -> {
                dispatcher.dequeued(capGroup);
                dispatcher.pass(capGroup);
            }), dispatcher::releaseNow, timer);
        }

        /** What the periodic resync does once the caches are read; events seen before that may find them empty. */
        void awaitCachesThenResync() {
            awaitUntil("caches read", () -> jobs.hasSynced() && dependencies.hasSynced());
            dispatcher.resyncAll();
        }

        @Override
        public void close() {
            loop.shutdownNow();
            timer.shutdownNow();
            jobs.close();
            pods.close();
            dependencies.close();
        }
    }
}
