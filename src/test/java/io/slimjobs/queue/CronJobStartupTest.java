package io.slimjobs.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slimjobs.CronJobTemplates;
import io.slimjobs.HttpCaller.Answer;
import org.junit.jupiter.api.Test;

/**
 * SlimJobs starts in a namespace where a CronJob defines `nightly` (NumberParallelJob 1) and three of its executions
 * wait, queued by an earlier replica, while Default allows five at once; and its first three attempts to list the
 * CronJobs are refused, as they are when its Role lacks the permission, until the Role is fixed.
 */
class CronJobStartupTest extends ReleasesObservedTestSupport {

    private static final List<String> QUEUED = List.of("first", "second", "third");


    @Override
    protected String jobsConfiguration() {
        return """
                {"Configurations": {
                   "marker": {"Image": "busybox:1.36", "Visibility": "Public", "NumberParallelJob": 100},
                   "Default": {"Image": "busybox:1.36", "Visibility": "Public", "NumberParallelJob": 5}}}
                """;
    }

    /** The window before the CronJobs are read is what this class looks at. */
    @Override
    protected boolean awaitDefinitions() {
        return false;
    }

    @Override
    protected void doPreSetup() throws Exception {
        super.doPreSetup();
        kube().batch().v1().cronjobs().inNamespace(namespace).resource(CronJobTemplates.withCap("nightly", 1)).create();
        Function<String, Job> queued = jobsAsTriggered("nightly", Instant.parse("2026-01-01T00:00:00Z"));
        QUEUED.forEach(id -> kube().batch().v1().jobs().inNamespace(namespace).resource(queued.apply(id)).create());
        cluster.expect().get().withPath("/apis/batch/v1/namespaces/" + namespace + "/cronjobs?resourceVersion=0")
                .andReturn(403, new StatusBuilder().withStatus("Failure").withReason("Forbidden").withCode(403)
                        .withMessage("cronjobs.batch is forbidden: User \"system:serviceaccount:" + namespace
                                + ":slimjobs\" cannot list resource \"cronjobs\" in API group \"batch\"").build())
                .times(3);
    }

    @Test
    void should_say_clearly_that_cronjobs_cannot_be_read_and_stay_unready_until_they_can() {
        awaitUntil("the refusal said", () -> !logLines("ERROR CronJobIndex").isEmpty());
        Answer ready = get("/ready");

        assertEquals(503, ready.status());
        assertTrue(ready.json().get("message").asText().contains("list and watch on cronjobs"), ready::toString);
        List<String> said = logLines("ERROR CronJobIndex");
        assertTrue(said.get(0).contains("its Role needs the verbs list and watch on cronjobs (apiGroup batch)")
                && said.get(0).contains("not ready"), said.get(0));

        awaitUntil("ready once the CronJobs can be read, without a restart", Duration.ofSeconds(30),
                () -> get("/ready").status() == 200);
        assertEquals(1, logLines("ERROR CronJobIndex").size(),
                "said once, not at every retry");
    }

    @Test
    void should_answer_503_to_a_request_judged_by_definitions_until_the_cronjobs_are_read() {
        awaitUntil("the refusal said", () -> !logLines("ERROR CronJobIndex").isEmpty());
        int jobsBefore = jobs().size();

        // under Default, which is Public here, this trigger would run nightly with five slots instead of its one
        Answer early = post("/job/nightly", "");

        assertEquals(503, early.status(), early::toString);
        assertTrue(early.json().get("message").asText().contains("CronJobs have not been read"), early::toString);
        assertEquals(jobsBefore, jobs().size(), "nothing created");
        assertEquals(503, get("/job/nightly").status());
        assertEquals(503, get("/job-schedules/nightly").status());
        awaitUntil("ready", Duration.ofSeconds(30), () -> get("/ready").status() == 200);
        assertEquals(202, post("/job/nightly", "").status());
    }

    @Test
    void should_weigh_queued_executions_only_once_the_cronjob_definitions_are_known() {
        awaitUntil("ready", Duration.ofSeconds(30), () -> get("/ready").status() == 200);
        awaitDispatcherCaughtUp();

        assertEquals(List.of("first"), observer.releaseOrder().stream().filter(QUEUED::contains).toList(),
                "nightly's own cap of 1, never Default's 5");
        assertEquals(1, observer.mostActiveAtOnce("nightly"));
    }
}
