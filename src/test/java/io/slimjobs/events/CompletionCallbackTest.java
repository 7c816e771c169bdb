package io.slimjobs.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import io.slimjobs.HttpCaller;
import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.events.CallbackReceiver.Received;
import io.slimjobs.kube.Labels;
import org.junit.jupiter.api.Test;

/**
 * When an execution ends, the leader posts a CloudEvent to its callback URL, retries failures with a doubling delay,
 * signs it with the callback secret, and marks the outcome on the Job.
 */
class CompletionCallbackTest extends SlimJobsTestSupport {

    private static final String SECRET = "it's a secret";

    private final CallbackReceiver receiver = new CallbackReceiver();

    @Override
    protected String jobsConfiguration() {
        return """
                {
                  "Configurations": {
                    "plain": {"Image": "busybox:1.36", "Visibility": "Public", "NumberParallelJob": 5,
                              "BackoffLimit": 0},
                    "hooked": {"Image": "busybox:1.36", "Visibility": "Public", "BackoffLimit": 0,
                               "CallbackUrl": "%s"}
                  }
                }
                """.formatted(receiver.url("/from-definition"));
    }

    @Override
    protected Map<String, String> properties() {
        return Map.of("slimjobs.callbacks.allowed-hosts", "127.0.0.1",
                "slimjobs.callbacks.initial-backoff", "100",
                "slimjobs.callbacks.max-attempts", "3",
                "slimjobs.callback-secret", SECRET);
    }

    @Override
    protected void doPostTearDown() throws Exception {
        super.doPostTearDown();
        receiver.close();
    }

    private String triggerWithCallback(String jobName, String url) {
        Answer answer = http.call(HttpCaller.OUTSIDER, "POST", "/job/" + jobName,
                Map.of("Content-Type", "application/json", "X-Callback-Url", url), "{}");
        assertEquals(202, answer.status(), answer::toString);
        return answer.json().get("Id").asText();
    }

    private String objectName(String id) {
        return jobOf(id).getMetadata().getName();
    }

    private String running(String jobName, String id) {
        awaitUntil(id + " running", () -> statusOf(jobName, id).equals("Running"));
        return objectName(id);
    }

    private String callbackMark(String id) {
        return jobOf(id).getMetadata().getAnnotations().get(Labels.CALLBACK);
    }

    @Test
    void should_post_a_structured_cloudevent_of_the_execution_when_it_succeeds() {
        String id = triggerWithCallback("plain", receiver.url("/hooks/done?team=a"));
        kubelet().succeed(running("plain", id));

        awaitUntil("delivered and marked", () -> "delivered".equals(callbackMark(id)));

        List<Received> posts = receiver.received();
        assertEquals(1, posts.size(), posts::toString);
        Received post = posts.get(0);
        assertEquals("POST", post.method());
        assertEquals("/hooks/done?team=a", post.pathAndQuery());
        assertEquals("application/cloudevents+json", post.headers().get("content-type"));
        assertFalse(post.headers().containsKey("kafka.key"), post.headers()::toString);
        JsonNode event = post.json();
        assertEquals("1.0", event.get("specversion").asText());
        assertEquals("io.slimjobs.execution.finished", event.get("type").asText());
        assertEquals("/slimjobs/" + namespace + "/jobs/plain", event.get("source").asText());
        assertEquals(id, event.get("id").asText());
        assertEquals(objectName(id), event.get("subject").asText());
        assertEquals("application/json", event.get("datacontenttype").asText());
        JsonNode data = event.get("data");
        assertEquals(get("/job/plain/" + id).json(), data, "data is the one-execution view");
        assertEquals("Succeeded", data.get("Status").asText());
        assertEquals(0, data.get("ExitCode").asInt());
        assertEquals(Instant.ofEpochMilli(data.get("EndTimestamp").asLong()), Instant.parse(event.get("time").asText()));
    }

    @Test
    void should_post_a_failed_execution_to_the_definitions_own_url() {
        String id = trigger("hooked", "");
        kubelet().fail(running("hooked", id), 7);

        awaitUntil("delivered and marked", () -> "delivered".equals(callbackMark(id)));

        Received post = receiver.receivedFor(id).get(0);
        assertEquals("/from-definition", post.pathAndQuery());
        assertEquals("Failed", post.json().get("data").get("Status").asText());
        assertEquals(7, post.json().get("data").get("ExitCode").asInt());
    }

    @Test
    void should_sign_the_exact_body_with_the_callback_secret() throws Exception {
        String id = triggerWithCallback("plain", receiver.url("/signed"));
        kubelet().succeed(running("plain", id));
        awaitUntil("delivered", () -> "delivered".equals(callbackMark(id)));

        Received post = receiver.receivedFor(id).get(0);

        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(post.body()));
        assertEquals(expected, post.headers().get("x-slimjobs-signature"));
    }

    @Test
    void should_retry_a_failed_delivery_and_deliver_the_same_event() {
        receiver.answer(500, 503);
        String id = triggerWithCallback("plain", receiver.url("/flaky"));
        kubelet().succeed(running("plain", id));

        awaitUntil("delivered and marked", () -> "delivered".equals(callbackMark(id)));

        List<Received> posts = receiver.receivedFor(id);
        assertEquals(3, posts.size(), "two failures, then the delivery");
        for (Received post : posts) {
            assertArrayEquals(posts.get(0).body(), post.body(), "every attempt sends the same event");
            assertEquals(posts.get(0).headers().get("x-slimjobs-signature"), post.headers().get("x-slimjobs-signature"));
        }
        awaitUntil("counted", () -> deliveries("delivered") == 1);
        assertEquals(2, deliveries("retried"));
        assertEquals(0, deliveries("failed"));
    }

    private double deliveries(String outcome) {
        return metrics().count("slimjobs_callback_deliveries_total", "outcome", outcome);
    }

    @Test
    void should_give_up_after_max_attempts_and_mark_the_callback_failed() {
        receiver.otherwise(500);
        String id = triggerWithCallback("plain", receiver.url("/down"));
        kubelet().succeed(running("plain", id));

        awaitUntil("marked failed", () -> "failed".equals(callbackMark(id)));

        assertEquals(3, receiver.receivedFor(id).size(), "slimjobs.callbacks.max-attempts attempts in all");
        assertTrue(logLines("could not be posted to " + receiver.url("/down")).stream()
                .anyMatch(line -> line.contains("WARN") && line.contains(id)), () -> log.lines().toString());
        awaitUntil("counted", () -> deliveries("failed") == 1);
        assertEquals(2, deliveries("retried"));
        assertEquals(0, deliveries("delivered"));
    }

    @Test
    void should_retry_when_nothing_answers_and_mark_the_callback_failed() {
        int closedPort = org.apache.camel.test.AvailablePortFinder.getNextAvailable();
        String id = triggerWithCallback("plain", "http://127.0.0.1:" + closedPort + "/nobody");
        kubelet().succeed(running("plain", id));

        awaitUntil("marked failed", () -> "failed".equals(callbackMark(id)));
    }

    @Test
    void should_post_nothing_for_an_execution_without_a_callback_url() {
        String without = trigger("plain", "");
        String with = triggerWithCallback("plain", receiver.url("/only-this"));
        kubelet().succeed(running("plain", without));
        awaitUntil(without + " succeeded", () -> statusOf("plain", without).equals("Succeeded"));
        kubelet().succeed(running("plain", with));

        awaitUntil("delivered", () -> "delivered".equals(callbackMark(with)));

        assertEquals(List.of(with), receiver.received().stream().map(r -> r.json().get("id").asText()).toList());
        assertFalse(jobOf(without).getMetadata().getAnnotations().containsKey(Labels.CALLBACK));
    }
}
