package io.slimjobs.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.slimjobs.LogCapture;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.kube.Labels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A queued execution starts only once every Deployment or StatefulSet it depends on has its minimum of ready
 * replicas; until then it is listed with a Reason that names what it waits for, and keeps its place in the queue.
 * The dispatcher's resync is stopped here: every release below is driven by events.
 */
class DependsOnGateTest extends SlimJobsTestSupport {

    @Override
    protected String jobsConfiguration() {
        return """
                {"Configurations": {
                  "needs-api": {"Image": "busybox:1.36", "Visibility": "Public", "NumberParallelJob": 3,
                                "DependsOn": ["api"]},
                  "needs-db": {"Image": "busybox:1.36", "Visibility": "Public", "NumberParallelJob": 3,
                               "DependsOn": ["db"]},
                  "marker": {"Image": "busybox:1.36", "Visibility": "Public", "NumberParallelJob": 100},
                  "Default": {"Image": "busybox:1.36", "Visibility": "Public", "NumberParallelJob": 3}
                }}
                """;
    }

    @Override
    protected Map<String, String> properties() {
        return Map.of("slimjobs.dispatcher.resync-interval", "3600000");
    }

    /** Its timer fires once soon after startup whatever its period: stopped, it cannot release anything here. */
    @BeforeEach
    void withoutResync() throws Exception {
        context.getRouteController().stopRoute("dispatcher-resync");
    }

    private String reasonOf(String jobName, String id) {
        JsonNode reason = listed(jobName, id).get("Reason");
        return reason == null ? null : reason.asText();
    }

    private void awaitStarted(String jobName, String id) {
        awaitUntil(id + " released", () -> !statusOf(jobName, id).equals("Queued"));
    }

    /**
     * Waits until the execution is listed with that reason, then until the dispatcher has weighed it: its passes run
     * one at a time in the order they were asked for, so once a `marker` triggered now is released, the pass the
     * execution's own events asked for is done, and it must still be queued.
     */
    private void awaitWaiting(String jobName, String id, String reason) {
        awaitUntil(id + " waits: " + reason, () -> reason.equals(reasonOf(jobName, id)));
        String marker = trigger("marker", "");
        awaitUntil("the dispatcher caught up", () -> !statusOf("marker", marker).equals("Queued"));
        assertEquals("Queued", statusOf(jobName, id));
    }

    @Test
    void should_hold_an_execution_until_its_deployment_is_ready_then_release_it_at_once() {
        kubelet().holdUnready("api");
        createDeployment("api", 1, Map.of());
        String id = trigger("needs-api", "");

        awaitWaiting("needs-api", id, "waiting for deployment api: 0/1 ready");
        kubelet().allowReady("api");
        awaitStarted("needs-api", id);
        assertFalse(listed("needs-api", id).has("Reason"), "a released execution waits for nothing");
    }

    @Test
    void should_hold_an_execution_until_its_statefulset_is_ready() {
        kubelet().holdUnready("db");
        createStatefulSet("db", 2, Map.of());
        String id = trigger("needs-db", "");

        awaitWaiting("needs-db", id, "waiting for statefulset db: 0/1 ready");
        kubelet().allowReady("db");
        awaitStarted("needs-db", id);
    }

    @Test
    void should_hold_an_execution_whose_dependency_does_not_exist_until_it_appears() {
        String id = trigger("anything", "{\"DependsOn\": [\"ghost\"]}");

        awaitWaiting("anything", id, "no deployment or statefulset named ghost");
        createDeployment("ghost", 1, Map.of());
        awaitStarted("anything", id);
    }

    @Test
    void should_take_the_request_DependsOn_over_the_definition_and_let_an_empty_list_clear_it() {
        createDeployment("api", 1, Map.of());
        String overridden = trigger("needs-api", "{\"DependsOn\": [\"missing\"]}");
        String cleared = trigger("needs-api", "{\"DependsOn\": []}");

        awaitStarted("needs-api", cleared);
        awaitWaiting("needs-api", overridden, "no deployment or statefulset named missing");
    }

    @Test
    void should_count_ready_replicas_against_min_ready_then_SlimFaas_ReplicasMin() {
        createDeployment("api", 1, Map.of(Labels.MIN_READY, "2", Labels.SLIMFAAS_REPLICAS_MIN, "1"));
        kubelet().holdUnready("db");
        createStatefulSet("db", 1, Map.of(Labels.SLIMFAAS_REPLICAS_MIN, "0"));
        String needsTwo = trigger("needs-api", "");
        String needsOne = trigger("needs-db", "");

        awaitWaiting("needs-api", needsTwo, "waiting for deployment api: 1/2 ready");
        awaitWaiting("needs-db", needsOne, "waiting for statefulset db: 0/1 ready");
        kube().apps().deployments().inNamespace(namespace).withName("api").scale(2);
        awaitStarted("needs-api", needsTwo);
        kubelet().allowReady("db");
        awaitStarted("needs-db", needsOne);
    }

    @Test
    void should_hold_new_executions_when_readiness_drops_and_let_released_ones_run_on() {
        createDeployment("api", 1, Map.of());
        String first = trigger("needs-api", "");
        awaitUntil(first + " running", () -> statusOf("needs-api", first).equals("Running"));

        kubelet().holdUnready("api");
        awaitUntil("api unready", () -> kube().apps().deployments().inNamespace(namespace).withName("api").get()
                .getStatus().getReadyReplicas() == 0);
        String second = trigger("needs-api", "");
        awaitWaiting("needs-api", second, "waiting for deployment api: 0/1 ready");
        assertEquals("Running", statusOf("needs-api", first));

        kubelet().allowReady("api");
        awaitStarted("needs-api", second);
    }

    @Test
    void should_let_later_executions_pass_one_whose_dependency_is_not_ready_and_keep_its_place() {
        String blocked = trigger("shared", "{\"DependsOn\": [\"ghost\"]}");
        String free = trigger("other", "");
        String alsoBlocked = trigger("shared", "{\"DependsOn\": [\"ghost\"]}");

        awaitStarted("other", free);
        awaitWaiting("shared", blocked, "no deployment or statefulset named ghost");
        JsonNode listed = get("/job/shared").json();
        assertEquals(List.of(blocked, alsoBlocked), List.of(listed.get(0).get("Id").asText(),
                listed.get(1).get("Id").asText()));
        assertEquals(1, listed.get(0).get("PositionInQueue").asInt());
        assertEquals(2, listed.get(1).get("PositionInQueue").asInt());

        createDeployment("ghost", 1, Map.of());
        awaitStarted("shared", blocked);
        awaitStarted("shared", alsoBlocked);
    }

    @Test
    void should_log_why_an_execution_waits_once_per_reason_not_on_every_pass() {
        try (LogCapture log = LogCapture.start()) {
            String id = trigger("other", "{\"DependsOn\": [\"ghost\"]}");
            awaitWaiting("other", id, "no deployment or statefulset named ghost");
            trigger("other", "");
            awaitWaiting("other", id, "no deployment or statefulset named ghost");

            kubelet().holdUnready("ghost");
            createDeployment("ghost", 1, Map.of());
            awaitWaiting("other", id, "waiting for deployment ghost: 0/1 ready");
            trigger("other", "");
            awaitWaiting("other", id, "waiting for deployment ghost: 0/1 ready");

            List<String> lines = log.lines().stream()
                    .filter(line -> line.contains("execution " + id + " stays queued")).toList();
            assertEquals(2, lines.size(), () -> "one line per reason: " + lines);
            assertTrue(lines.get(0).contains("INFO") && lines.get(0).contains(jobOf(id).getMetadata().getName())
                    && lines.get(0).endsWith("no deployment or statefulset named ghost"), lines.get(0));
            assertTrue(lines.get(1).endsWith("waiting for deployment ghost: 0/1 ready"), lines.get(1));
        }
    }
}
