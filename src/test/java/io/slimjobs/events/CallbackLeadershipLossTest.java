package io.slimjobs.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.ZonedDateTime;
import java.util.Map;

import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.slimjobs.HttpCaller;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.kube.Labels;
import org.junit.jupiter.api.Test;

/** A replica that stops leading stops retrying a callback, gives nothing up, and whoever leads next delivers it. */
class CallbackLeadershipLossTest extends SlimJobsTestSupport {

    private static final String LEASE = "slimjobs-leader";

    private final CallbackReceiver receiver = new CallbackReceiver();

    @Override
    protected String jobsConfiguration() {
        return """
                {"Configurations": {"plain": {"Image": "busybox:1.36", "Visibility": "Public", "BackoffLimit": 0}}}
                """;
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

    @Override
    protected void doPostTearDown() throws Exception {
        super.doPostTearDown();
        receiver.close();
    }

    private String callbackMark(String id) {
        return jobOf(id).getMetadata().getAnnotations().get(Labels.CALLBACK);
    }

    @Test
    void should_stop_retrying_on_losing_the_lead_and_deliver_once_leading_again() {
        receiver.otherwise(500);
        String id = http.call(HttpCaller.OUTSIDER, "POST", "/job/plain",
                Map.of("Content-Type", "application/json", "X-Callback-Url", receiver.url("/lost")), "{}")
                .json().get("Id").asText();
        awaitUntil("running", () -> statusOf("plain", id).equals("Running"));
        kubelet().succeed(jobOf(id).getMetadata().getName());
        awaitUntil("two failed attempts", () -> receiver.receivedFor(id).size() >= 2);

        // another replica holds the Lease now, for an hour
        kube().leases().inNamespace(namespace).withName(LEASE).edit(lease -> new LeaseBuilder(lease).editSpec()
                .withHolderIdentity("another-replica").withLeaseDurationSeconds(3600)
                .withRenewTime(ZonedDateTime.now()).endSpec().build());
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
