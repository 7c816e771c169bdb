package io.slimjobs.queue;

import static io.slimjobs.SlimJobsTestSupport.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slimjobs.config.Definitions;
import io.slimjobs.config.JobOverrides;
import io.slimjobs.config.JobsConfiguration;
import io.slimjobs.config.JobsConfigurationLoader;
import io.slimjobs.kube.JobFactory;
import io.slimjobs.trigger.GuardRails;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dispatcher on its own, with passes run one at a time as the pass route runs them, and no periodic resync. */
class PassBeforeSyncTest {

    private static final String NAMESPACE = "before-sync";
    private static final JobsConfiguration CONFIGURATION = JobsConfigurationLoader.parse(new JobsConfigurationLoader
            .Source("test", "{\"Configurations\": {\"pair\": {\"Image\": \"busybox:1.36\", \"NumberParallelJob\": 2}}}"));

    private LoneDispatcher lone;

    @BeforeEach
    void start() {
        lone = new LoneDispatcher(NAMESPACE, new Definitions(CONFIGURATION));
    }

    @AfterEach
    void stop() {
        lone.close();
    }

    @Test
    void should_serve_a_pass_asked_for_before_the_job_cache_synced_once_it_has() throws Exception {
        Job queued = new JobFactory(NAMESPACE, Clock.systemUTC())
                .build(GuardRails.apply("pair", CONFIGURATION.definitionFor("pair"), JobOverrides.NONE),
                        UUID.randomUUID().toString(), null);
        lone.cluster.client().batch().v1().jobs().inNamespace(NAMESPACE).resource(queued).create();
        lone.start();

        // a new leader's takeover and an event's request, both before the cache holds anything
        lone.dispatcher.takeOver();
        lone.dispatcher.enqueue("pair");
        lone.passes.submit(() -> { }).get(); // both weighed: passes run in order on one thread
        assertFalse(lone.jobs.hasSynced());

        lone.pods.start();
        lone.jobs.start();
        awaitUntil("the queued execution released, with no event or resync asking again",
                () -> Boolean.FALSE.equals(lone.cluster.client().batch().v1().jobs().inNamespace(NAMESPACE)
                        .withName(queued.getMetadata().getName()).get().getSpec().getSuspend()));
    }

    /** An informer started before the routes are wired may report at once: its pass is asked for on start. */
    @Test
    void should_ask_for_the_passes_requested_before_it_started_once_it_starts() {
        Dispatcher dispatcher = lone.dispatcher;
        dispatcher.enqueue("pair");
        dispatcher.enqueue("pair");
        List<String> requested = new CopyOnWriteArrayList<>();

        dispatcher.start(requested::add, dispatcher::releaseNow, lone.passes);

        assertEquals(List.of("pair"), requested);
    }

    /** On shutdown the route that carries passes stops first: an event then must not send to it (an ERROR each). */
    @Test
    void should_ask_for_no_pass_once_stopped() {
        Dispatcher dispatcher = lone.dispatcher;
        List<String> requested = new CopyOnWriteArrayList<>();
        dispatcher.start(requested::add, dispatcher::releaseNow, lone.passes);

        dispatcher.stop();
        dispatcher.enqueue("pair");

        assertEquals(List.of(), requested);
    }
}
