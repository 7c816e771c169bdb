package io.slimjobs.queue;

import static io.slimjobs.SlimJobsTestSupport.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slimjobs.config.Definitions;
import io.slimjobs.config.JobOverrides;
import io.slimjobs.config.JobsConfiguration;
import io.slimjobs.config.JobsConfigurationLoader;
import io.slimjobs.kube.JobFactory;
import io.slimjobs.trigger.GuardRails;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher on its own, at the moment the definitions change: `burst` falls back to Default (five at once) and
 * then is configured with a NumberParallelJob of 1, while three of its executions are queued.
 */
class GroupingChangeTest {

    private static final String NAMESPACE = "grouping-change";

    private static JobsConfiguration configuration(String json) {
        return JobsConfigurationLoader.parse(new JobsConfigurationLoader.Source("test", json));
    }

    private final JobsConfiguration before = configuration(
            "{\"Configurations\": {\"Default\": {\"Image\": \"busybox:1.36\", \"NumberParallelJob\": 5}}}");
    private final Definitions definitions = new Definitions(before);
    private final LoneDispatcher lone = new LoneDispatcher(NAMESPACE, definitions);

    @AfterEach
    void stop() {
        lone.close();
    }

    private List<String> released() {
        return lone.cluster.client().batch().v1().jobs().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(job -> Boolean.FALSE.equals(job.getSpec().getSuspend()))
                .map(job -> job.getMetadata().getName()).toList();
    }

    @Test
    void should_release_nothing_by_the_old_grouping_against_the_new_caps_and_follow_the_new_grouping_at_once() {
        JobFactory factory = new JobFactory(NAMESPACE, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        for (String id : List.of("first", "second", "third")) {
            Job queued = factory.build(GuardRails.apply("burst", before.definitionFor("burst"), JobOverrides.NONE), id, null);
            lone.cluster.client().batch().v1().jobs().inNamespace(NAMESPACE).resource(queued).create();
        }
        lone.pods.start();
        lone.jobs.start();
        awaitUntil("the three cached", () -> lone.jobs.hasSynced()
                && lone.jobs.capGroupExecutions("default").size() == 3);
        Dispatcher dispatcher = lone.dispatcher;
        // passes only where this test runs them, on its own thread, one after the other
        dispatcher.start(group -> { }, dispatcher::releaseNow, lone.passes);

        // in force, but the executions not yet grouped by it: a pass now would count burst's three in `default`
        definitions.replace(configuration("""
                {"Configurations": {"burst": {"Image": "busybox:1.36", "NumberParallelJob": 1},
                                    "Default": {"Image": "busybox:1.36", "NumberParallelJob": 5}}}"""));
        dispatcher.reconcile("default");
        dispatcher.reconcile("burst");
        assertEquals(List.of(), released(), "nothing weighed by a grouping that is not the one in force");

        dispatcher.definitionsChanged();
        dispatcher.reconcile("default");
        dispatcher.reconcile("burst");

        assertEquals(List.of("burst-first"), released(), "one, under burst's own cap");
    }
}
