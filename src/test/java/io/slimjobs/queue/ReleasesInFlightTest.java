package io.slimjobs.queue;

import static io.slimjobs.SlimJobsTestSupport.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.slimjobs.config.Definitions;
import io.slimjobs.config.JobOverrides;
import io.slimjobs.config.JobsConfiguration;
import io.slimjobs.config.JobsConfigurationLoader;
import io.slimjobs.demo.EmbeddedCluster;
import io.slimjobs.kube.DependencyIndex;
import io.slimjobs.kube.JobFactory;
import io.slimjobs.kube.JobIndex;
import io.slimjobs.kube.Labels;
import io.slimjobs.kube.PodIndex;
import io.slimjobs.observe.ExecutionDecisions;
import io.slimjobs.trigger.GuardRails;
import org.junit.jupiter.api.Test;

/**
 * A pass may run on a cache that does not show the previous pass's releases yet. Here the cache is frozen: its
 * informer is stopped once synced, which keeps its store and its synced state (fabric8 clears neither on stop).
 */
class ReleasesInFlightTest {

    private static final String NAMESPACE = "in-flight";
    private static final String CONFIGURATION = """
            {"Configurations": {"single": {"Image": "busybox:1.36", "Visibility": "Public", "NumberParallelJob": 1}}}
            """;

    @Test
    void should_count_releases_the_cache_does_not_show_yet() {
        try (EmbeddedCluster cluster = EmbeddedCluster.start(NAMESPACE, null)) {
            KubernetesClient client = cluster.client();
            JobsConfiguration configuration =
                    JobsConfigurationLoader.parse(new JobsConfigurationLoader.Source("test", CONFIGURATION));
            var plan = GuardRails.apply("single", configuration.definitionFor("single"), JobOverrides.NONE);
            JobFactory factory = new JobFactory(NAMESPACE,
                    Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
            List<Job> queued = List.of(factory.build(plan, "first", null), factory.build(plan, "second", null),
                    factory.build(plan, "third", null));
            queued.forEach(job -> client.batch().v1().jobs().inNamespace(NAMESPACE).resource(job).create());

            CapGroups capGroups = new CapGroups(new Definitions(configuration));
            PodIndex pods = new PodIndex(client, NAMESPACE, 0);
            DependencyIndex dependencies = new DependencyIndex(client, NAMESPACE, 0);
            JobIndex jobs = new JobIndex(client, NAMESPACE, 0, pods, capGroups.inForce(), dependencies);
            pods.start();
            jobs.start();
            awaitUntil("cache synced", () -> jobs.hasSynced() && jobs.capGroupExecutions("single").size() == 3);
            jobs.close();
            Dispatcher dispatcher = new Dispatcher(client, NAMESPACE, jobs, capGroups, Clock.systemUTC(),
                    Duration.ofMinutes(5), dependencies, new ExecutionDecisions());
            dispatcher.start(capGroup -> { }, dispatcher::releaseNow, null);

            // The first execution is away when the first pass tries it (404), so that pass releases the second ...
            delete(client, queued.get(0));
            dispatcher.reconcile("single");
            assertEquals(List.of("second"), released(client));

            // ... and it is back for the next pass, whose cache still shows the second one queued.
            client.batch().v1().jobs().inNamespace(NAMESPACE)
                    .resource(new JobBuilder(queued.get(0)).build()).create();
            dispatcher.reconcile("single");

            assertEquals(List.of("second"), released(client), "the release in flight holds the only slot");
            pods.close();
        }
    }

    private static void delete(KubernetesClient client, Job job) {
        client.batch().v1().jobs().inNamespace(NAMESPACE).withName(job.getMetadata().getName()).delete();
        awaitUntil("deleted", () -> client.batch().v1().jobs().inNamespace(NAMESPACE).withName(job.getMetadata().getName())
                .get() == null);
    }

    private static List<String> released(KubernetesClient client) {
        return client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(job -> Boolean.FALSE.equals(job.getSpec().getSuspend()))
                .map(job -> job.getMetadata().getLabels().get(Labels.ID)).sorted().toList();
    }
}
