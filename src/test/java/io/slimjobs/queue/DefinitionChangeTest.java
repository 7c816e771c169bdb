package io.slimjobs.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.slimjobs.CronJobTemplates;
import org.junit.jupiter.api.Test;

/** What a change of the definitions does to queued and running executions, without a restart. */
class DefinitionChangeTest extends ReleasesObservedTestSupport {

    private static final String CONFIGURATION = """
            {"Configurations": {
               "pair": {"Image": "busybox:1.36", "Visibility": "Public", "NumberParallelJob": %d},
               "marker": {"Image": "busybox:1.36", "Visibility": "Public", "NumberParallelJob": 100},
               "Default": {"Image": "busybox:1.36", "Visibility": "Public", "NumberParallelJob": 1}}}
            """;

    @Override
    protected String jobsConfiguration() {
        return CONFIGURATION.formatted(1);
    }

    @Override
    protected Map<String, String> properties() {
        return Map.of("slimjobs.config.reload-interval", "100");
    }

    private void changeCapOfPair(int numberParallelJob) {
        changeConfiguration(CONFIGURATION.formatted(numberParallelJob));
        awaitUntil("pair's cap " + numberParallelJob + " in force",
                () -> definitionsInForce().definitionFor("pair").numberParallelJob() == numberParallelJob);
    }

    private List<String> triggerMany(String jobName, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(trigger(jobName, ""));
        }
        return ids;
    }

    private List<String> released(List<String> ids) {
        return observer.releaseOrder().stream().filter(ids::contains).toList();
    }

    private void succeed(String jobName, String id) {
        kubelet().succeed(jobOf(id).getMetadata().getName());
        awaitUntil(id + " finished", () -> statusOf(jobName, id).equals("Succeeded"));
    }

    @Test
    void should_release_at_once_what_a_raised_NumberParallelJob_allows() {
        List<String> pair = triggerMany("pair", 4);
        // settled: the first running, so that no pod or Job event is left to wake the dispatcher, and the periodic
        // resync past its first run, so that it does not come again during the test
        awaitUntil("the first running", () -> statusOf("pair", pair.get(0)).equals("Running"));
        awaitUntil("the first periodic resync done", () -> Optional.ofNullable(context.getRegistry()
                .lookupByNameAndType("metricsRegistry", MeterRegistry.class).find("camel.exchanges.total")
                .tag("routeId", "dispatcher-resync").counter()).map(Counter::count).orElse(0.0) >= 1);
        awaitDispatcherCaughtUp();
        assertEquals(pair.subList(0, 1), released(pair));

        changeCapOfPair(3);

        awaitUntil("three running, no execution having finished", () -> released(pair).size() == 3);
        assertEquals(pair.subList(0, 3), released(pair));
        awaitDispatcherCaughtUp();
        assertEquals(3, observer.mostActiveAtOnce("pair"));
    }

    @Test
    void should_leave_running_executions_alone_and_release_none_until_below_a_lowered_NumberParallelJob() {
        changeCapOfPair(3);
        List<String> pair = triggerMany("pair", 5);
        awaitUntil("three running", () -> pair.subList(0, 3).stream()
                .allMatch(id -> statusOf("pair", id).equals("Running")));

        changeCapOfPair(1);
        awaitDispatcherCaughtUp();

        for (String id : pair.subList(0, 3)) {
            assertEquals("Running", statusOf("pair", id), "a lower cap stops nothing");
        }
        succeed("pair", pair.get(0));
        awaitDispatcherCaughtUp();
        succeed("pair", pair.get(1));
        awaitDispatcherCaughtUp();
        assertEquals(pair.subList(0, 3), released(pair), "two then one running: neither is below the cap of 1");

        succeed("pair", pair.get(2));

        awaitUntil("the fourth released", () -> released(pair).size() == 4);
        awaitDispatcherCaughtUp();
        assertEquals(pair.subList(0, 4), released(pair), "one at a time from now on");
    }

    @Test
    void should_give_a_name_its_own_cap_while_a_cronjob_defines_it_and_count_it_against_default_after() {
        String other = trigger("other", "");
        awaitUntil("other running", () -> statusOf("other", other).equals("Running"));
        List<String> burst = triggerMany("burst", 2);
        awaitDispatcherCaughtUp();
        assertEquals(List.of(), released(burst), "behind Default's cap of 1, which other holds");

        kube().batch().v1().cronjobs().inNamespace(namespace).resource(CronJobTemplates.withCap("burst", 2)).create();

        awaitUntil("both released under burst's own cap", () -> released(burst).size() == 2);
        assertEquals("Running", statusOf("other", other));

        kube().batch().v1().cronjobs().inNamespace(namespace).withName("burst").delete();
        awaitUntil("burst no longer defined", () -> !definitionsInForce().definitions().containsKey("burst"));
        String zed = trigger("zed", "");
        awaitDispatcherCaughtUp();
        assertEquals(1, get("/job/zed").json().get(0).get("PositionInQueue").asInt());
        for (String[] running : new String[][] {{"other", other}, {"burst", burst.get(0)}, {"burst", burst.get(1)}}) {
            assertEquals("Queued", statusOf("zed", zed), "Default's cap of 1 is held by other and burst");
            succeed(running[0], running[1]);
            awaitDispatcherCaughtUp();
        }

        awaitUntil("zed released once all three finished", () -> released(List.of(zed)).size() == 1);
    }
}
