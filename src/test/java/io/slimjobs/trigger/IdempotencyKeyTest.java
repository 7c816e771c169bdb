package io.slimjobs.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;

import io.slimjobs.Endpoints;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.kube.Labels;
import org.junit.jupiter.api.Test;

/** A trigger with an idempotency key makes one execution; a repeat, from any door, answers that one. */
class IdempotencyKeyTest extends SlimJobsTestSupport {

    private String triggerWithKey(String jobName, String key) {
        return template.requestBody(Endpoints.TRIGGER, new TriggerRequest(jobName, "{\"Args\": [\"1\"]}",
                "application/json", false, key, Door.HTTP), TriggerAccepted.class).id();
    }

    @Test
    void should_answer_a_repeat_of_a_key_with_the_execution_the_first_request_made() {
        String first = triggerWithKey("fibonacci", "order-42");
        String repeat = triggerWithKey("fibonacci", "order-42");

        assertEquals(first, repeat);
        assertEquals(1, jobs().size());
        assertEquals("order-42", jobOf(first).getMetadata().getAnnotations().get(Labels.IDEMPOTENCY_KEY));
    }

    @Test
    void should_make_one_execution_per_key_and_job_name() {
        String first = triggerWithKey("fibonacci", "order-42");
        String otherKey = triggerWithKey("fibonacci", "order-43");
        String otherJob = triggerWithKey("nightly-report", "order-42");
        String noKey = triggerWithKey("fibonacci", null);

        assertEquals(4, List.of(first, otherKey, otherJob, noKey).stream().distinct().count());
        assertEquals(4, jobs().size());
        assertNotEquals(null, jobOf(first).getMetadata().getName());
    }
}
