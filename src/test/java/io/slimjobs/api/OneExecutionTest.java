package io.slimjobs.api;

import static io.slimjobs.api.ApiAssertions.assertError;
import static io.slimjobs.api.ApiAssertions.fieldNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.SlimJobsTestSupport;
import org.junit.jupiter.api.Test;

/** `GET /job/{name}/{id}`: one execution, as listed, with when and how it ended. */
class OneExecutionTest extends SlimJobsTestSupport {

    /** `single` runs one execution at a time and retries a failed pod once. */
    private static final String CONFIGURATION = """
            {
              "Configurations": {
                "single": {"Image": "registry.local/single:1", "Visibility": "Public", "NumberParallelJob": 1,
                           "BackoffLimit": 1},
                "other": {"Image": "registry.local/other:1", "Visibility": "Public"},
                "secret-job": {"Image": "registry.local/secret:1", "Visibility": "Private"}
              }
            }
            """;

    @Override
    protected String jobsConfiguration() {
        return CONFIGURATION;
    }

    private JsonNode execution(String jobName, String id) {
        Answer answer = get("/job/" + jobName + "/" + id);
        assertEquals(200, answer.status(), answer::toString);
        ApiAssertions.assertJson(answer);
        return answer.json();
    }

    private String objectName(String id) {
        return jobOf(id).getMetadata().getName();
    }

    private String running(String jobName) {
        String id = trigger(jobName, "");
        awaitUntil(id + " running", () -> statusOf(jobName, id).equals("Running"));
        return id;
    }

    @Test
    void should_show_a_queued_execution_as_listed_with_its_place_and_no_end() {
        running("single");
        String queued = trigger("single", "");
        awaitUntil("queued", () -> statusOf("single", queued).equals("Queued"));

        JsonNode execution = execution("single", queued);

        assertEquals(listed("single", queued), ((ObjectNode) execution.deepCopy()).without(
                List.of("EndTimestamp", "FailedAttempts")), "every field of the list entry, the same");
        assertEquals(1, execution.get("PositionInQueue").asInt());
        assertEquals(-1, execution.get("EndTimestamp").asLong());
        assertEquals(0, execution.get("FailedAttempts").asInt());
        assertFalse(execution.has("ExitCode"), execution::toString);
        assertFalse(execution.has("TerminationReason"), execution::toString);
    }

    @Test
    void should_show_a_running_execution_without_an_end_or_exit_code() {
        String id = running("single");

        JsonNode execution = execution("single", id);

        assertEquals(List.of("Name", "Status", "Id", "PositionInQueue", "InQueueTimestamp", "StartTimestamp",
                "EndTimestamp", "FailedAttempts"), fieldNames(execution));
        assertEquals("Running", execution.get("Status").asText());
        assertEquals(objectName(id), execution.get("Name").asText());
        assertEquals(-1, execution.get("EndTimestamp").asLong());
        assertFalse(execution.has("ExitCode"), execution::toString);
    }

    @Test
    void should_show_a_succeeded_execution_with_its_end_and_exit_code_0() {
        long before = System.currentTimeMillis();
        String id = running("single");
        kubelet().succeed(objectName(id));
        awaitUntil("succeeded", () -> statusOf("single", id).equals("Succeeded"));
        long after = System.currentTimeMillis();

        JsonNode execution = execution("single", id);

        assertEquals("Succeeded", execution.get("Status").asText());
        assertEquals(0, execution.get("ExitCode").asInt());
        assertEquals("Completed", execution.get("TerminationReason").asText());
        assertEquals(0, execution.get("FailedAttempts").asInt());
        long end = execution.get("EndTimestamp").asLong();
        // the API server keeps times to the second
        assertTrue(end >= before - 1_000 && end <= after + 1_000, () -> end + " not between " + before + " and " + after);
        assertTrue(end >= execution.get("StartTimestamp").asLong(), execution::toString);
    }

    @Test
    void should_show_a_failed_execution_with_its_exit_code_termination_reason_and_failed_attempts() {
        String id = running("single");
        kubelet().fail(objectName(id), 3);
        awaitUntil("retried", () -> kubelet().livePod(objectName(id)).isPresent());
        kubelet().fail(objectName(id), 42);
        awaitUntil("failed", () -> statusOf("single", id).equals("Failed"));

        JsonNode execution = execution("single", id);

        assertEquals("Failed", execution.get("Status").asText());
        assertEquals(42, execution.get("ExitCode").asInt(), "the last pod's, not the first one's");
        assertEquals("Error", execution.get("TerminationReason").asText());
        assertEquals(2, execution.get("FailedAttempts").asInt());
        assertEquals("Job has reached the specified backoff limit", execution.get("Reason").asText());
        assertTrue(execution.get("EndTimestamp").asLong() > 0, execution::toString);
    }

    @Test
    void should_answer_404_for_an_unknown_id_and_for_another_jobs_id() {
        String others = trigger("other", "");

        assertError(get("/job/single/no-such-id"), 404, "not_found", "single", "no-such-id");
        assertError(get("/job/single/" + others), 404, "not_found", "single", others);
        assertEquals(200, get("/job/other/" + others).status());
    }

    @Test
    void should_forbid_a_private_jobs_execution_to_an_untrusted_caller_before_any_lookup() {
        assertError(get("/job/secret-job/no-such-id"), 403, "forbidden", "secret-job");
    }
}
