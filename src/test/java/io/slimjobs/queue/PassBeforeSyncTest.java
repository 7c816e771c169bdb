package io.slimjobs.queue;

import static io.slimjobs.SlimJobsTestSupport.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slimjobs.config.Definitions;
import io.slimjobs.config.JobOverrides;
import io.slimjobs.config.JobsConfiguration;
import io.slimjobs.config.JobsConfigurationLoader;
import io.slimjobs.demo.EmbeddedCluster;
import io.slimjobs.kube.DependencyIndex;
import io.slimjobs.kube.JobFactory;
import io.slimjobs.kube.JobIndex;
import io.slimjobs.kube.PodIndex;
import io.slimjobs.trigger.GuardRails;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dispatcher on its own, with passes run one at a time as the pass route runs them, and no periodic resync. */
class PassBeforeSyncTest {

    private static final String NAMESPACE = "before-sync";
    private static final JobsConfiguration CONFIGURATION = JobsConfigurationLoader.parse(new JobsConfigurationLoader
            .Source("test", "{\"Configurations\": {\"pair\": {\"Image\": \"busybox:1.36\", \"NumberParallelJob\": 2}}}"));

    private EmbeddedCluster cluster;
    private PodIndex pods;
    private DependencyIndex dependencies;
    private JobIndex jobs;
    private ScheduledExecutorService passes;

    @BeforeEach
    void start() {
        cluster = EmbeddedCluster.start(NAMESPACE, null);
        pods = new PodIndex(cluster.client(), NAMESPACE, 0);
        dependencies = new DependencyIndex(cluster.client(), NAMESPACE, 0);
        CapGroups capGroups = new CapGroups(new Definitions(CONFIGURATION));
        jobs = new JobIndex(cluster.client(), NAMESPACE, 0, pods, capGroups::of, dependencies);
        passes = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() {
        passes.shutdownNow();
        jobs.close();
        pods.close();
        dependencies.close();
        cluster.close();
    }

    @Test
    void should_serve_a_pass_asked_for_before_the_job_cache_synced_once_it_has() throws Exception {
        Job queued = new JobFactory(NAMESPACE, Clock.systemUTC())
                .build(GuardRails.apply("pair", CONFIGURATION.definitionFor("pair"), JobOverrides.NONE),
                        UUID.randomUUID().toString(), null);
        cluster.client().batch().v1().jobs().inNamespace(NAMESPACE).resource(queued).create();
        Dispatcher dispatcher = new Dispatcher(cluster.client(), NAMESPACE, jobs, new CapGroups(new Definitions(CONFIGURATION)),
                Clock.systemUTC(), Duration.ofMinutes(5), dependencies);
        dispatcher.start(group -> passes.execute(() -> {
            dispatcher.dequeued(group);
            dispatcher.pass(group);
        }), dispatcher::releaseNow, passes);

        // a new leader's takeover and an event's request, both before the cache holds anything
        dispatcher.takeOver();
        dispatcher.enqueue("pair");
        passes.submit(() -> { }).get(); // both weighed: passes run in order on one thread
        assertFalse(jobs.hasSynced());

        pods.start();
        jobs.start();
        awaitUntil("the queued execution released, with no event or resync asking again",
                () -> Boolean.FALSE.equals(cluster.client().batch().v1().jobs().inNamespace(NAMESPACE)
                        .withName(queued.getMetadata().getName()).get().getSpec().getSuspend()));
    }

    /** An informer started before the routes are wired may report at once: its pass is asked for on start. */
    @Test
    void should_ask_for_the_passes_requested_before_it_started_once_it_starts() {
        Dispatcher dispatcher = new Dispatcher(cluster.client(), NAMESPACE, jobs, new CapGroups(new Definitions(CONFIGURATION)),
                Clock.systemUTC(), Duration.ofMinutes(5), dependencies);
        dispatcher.enqueue("pair");
        dispatcher.enqueue("pair");
        List<String> requested = new CopyOnWriteArrayList<>();

        dispatcher.start(requested::add, dispatcher::releaseNow, passes);

        assertEquals(List.of("pair"), requested);
    }
}
