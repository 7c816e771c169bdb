package io.slimjobs.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.slimjobs.HttpCaller;
import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.SlimJobsReplica;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.kube.Labels;
import org.junit.jupiter.api.Test;

/**
 * The marks on the Jobs are what a new leader goes by: a delivered callback is never posted again, one not yet
 * delivered (left by a stopped replica, or interrupted between two attempts by a stop or a lost Lease) is delivered by
 * whoever leads next; only a leader gives a callback up.
 */
class CallbackRestartTest extends SlimJobsTestSupport {

    private static final String CONFIGURATION = """
            {"Configurations": {"plain": {"Image": "busybox:1.36", "Visibility": "Public", "BackoffLimit": 0}}}
            """;

    private static final String LEASE = "slimjobs-leader";

    private final CallbackReceiver receiver = new CallbackReceiver();
    private String deliveredBefore;
    private String undeliveredBefore;

    @Override
    protected String jobsConfiguration() {
        return CONFIGURATION;
    }

    @Override
    protected Map<String, String> properties() {
        return Map.of("slimjobs.callbacks.allowed-hosts", "127.0.0.1",
                "slimjobs.callbacks.initial-backoff", "200",
                "slimjobs.callbacks.max-attempts", "1000",
                "slimjobs.leader.lease-duration", "2000",
                "slimjobs.leader.renew-deadline", "1000",
                "slimjobs.leader.retry-period", "200");
    }

    /** Before SlimJobs starts: two finished executions with a callback URL, one of them delivered, as a stopped replica left them. */
    @Override
    protected void doPreSetup() throws Exception {
        super.doPreSetup();
        if (!getCurrentTestName().contains("previous_replica")) {
            return;
        }
        var triggered = jobsAsTriggered("plain", Instant.parse("2026-01-01T00:00:00Z"));
        deliveredBefore = finished(triggered.apply(UUID.randomUUID().toString()), "delivered");
        undeliveredBefore = finished(triggered.apply(UUID.randomUUID().toString()), null);
    }

    private String finished(Job asTriggered, String callbackMark) {
        Job job = new JobBuilder(asTriggered)
                .editMetadata()
                    .addToAnnotations(Labels.CALLBACK_URL, receiver.url("/restart"))
                    .addToAnnotations(callbackMark == null ? Map.of() : Map.of(Labels.CALLBACK, callbackMark))
                .endMetadata()
                .editSpec().withSuspend(false).endSpec()
                .build();
        kube().batch().v1().jobs().inNamespace(namespace).resource(job).create();
        String now = Instant.now().toString();
        retryingConflicts(() -> kube().batch().v1().jobs().inNamespace(namespace).withName(job.getMetadata().getName())
                .editStatus(latest -> new JobBuilder(latest).withNewStatus()
                        .withStartTime(now).withCompletionTime(now).withSucceeded(1)
                        .withConditions(new JobConditionBuilder().withType("Complete").withStatus("True")
                                .withLastTransitionTime(now).build())
                        .endStatus().build()));
        return job.getMetadata().getLabels().get(Labels.ID);
    }

    @Override
    protected void doPostTearDown() throws Exception {
        super.doPostTearDown();
        receiver.close();
    }

    private String callbackMark(String id) {
        return jobOf(id).getMetadata().getAnnotations().get(Labels.CALLBACK);
    }

    @Test
    void should_deliver_what_a_previous_replica_left_undelivered_and_never_repeat_a_delivered_one() {
        awaitUntil("the undelivered one delivered", () -> "delivered".equals(callbackMark(undeliveredBefore)));

        assertEquals(1, receiver.receivedFor(undeliveredBefore).size());
        assertEquals(List.of(), receiver.receivedFor(deliveredBefore), "a delivered callback is not posted again");
    }

    @Test
    void should_let_the_next_leader_deliver_a_callback_interrupted_by_a_stop() {
        receiver.otherwise(500);
        Answer answer = http.call(HttpCaller.OUTSIDER, "POST", "/job/plain",
                Map.of("Content-Type", "application/json", "X-Callback-Url", receiver.url("/interrupted")), "{}");
        String id = answer.json().get("Id").asText();
        awaitUntil("running", () -> statusOf("plain", id).equals("Running"));
        kubelet().succeed(jobOf(id).getMetadata().getName());
        awaitUntil("two failed attempts", () -> receiver.receivedFor(id).size() >= 2);

        context.stop();
        int attemptsBeforeStop = receiver.receivedFor(id).size();
        assertNull(callbackMark(id), "a stopping replica gives nothing up for good");

        receiver.otherwise(200);
        try (SlimJobsReplica next = replica("next", Map.of(), Map.of())) {
            awaitUntil("delivered by the next leader", () -> "delivered".equals(callbackMark(id)));
        }
        assertEquals(attemptsBeforeStop + 1, receiver.receivedFor(id).size(),
                "the stopped replica made no attempt after its stop; the next leader one, which succeeded");
    }

    @Test
    void should_stop_retrying_on_losing_the_lead_and_deliver_once_leading_again() {
        // the leader-only routes start a moment after the Lease is taken; a Lease taken away before that would leave
        // them running, and taking it back would not start them again
        awaitUntil("the leader's routes started", () -> !logLines(
                "Consumer started: timer://execution-finished-resync").isEmpty());
        receiver.otherwise(500);
        String id = http.call(HttpCaller.OUTSIDER, "POST", "/job/plain",
                Map.of("Content-Type", "application/json", "X-Callback-Url", receiver.url("/lost")), "{}")
                .json().get("Id").asText();
        awaitUntil("running", () -> statusOf("plain", id).equals("Running"));
        kubelet().succeed(jobOf(id).getMetadata().getName());
        awaitUntil("two failed attempts", () -> receiver.receivedFor(id).size() >= 2);

        // another replica holds the Lease now, for an hour
        retryingConflicts(() -> kube().leases().inNamespace(namespace).withName(LEASE).edit(lease ->
                new LeaseBuilder(lease).editSpec().withHolderIdentity("another-replica").withLeaseDurationSeconds(3600)
                        .withRenewTime(ZonedDateTime.now()).endSpec().build()));
        awaitUntil("retries stopped", () -> !logLines("no longer leads, so it stops posting to "
                + receiver.url("/lost")).isEmpty());
        int attempts = receiver.receivedFor(id).size();
        assertNull(callbackMark(id), "only a leader gives a callback up");

        receiver.otherwise(200);
        kube().leases().inNamespace(namespace).withName(LEASE).delete();
        awaitUntil("delivered once leading again", () -> "delivered".equals(callbackMark(id)));

        assertEquals(attempts + 1, receiver.receivedFor(id).size(), "no attempt while another replica led");
    }
}
