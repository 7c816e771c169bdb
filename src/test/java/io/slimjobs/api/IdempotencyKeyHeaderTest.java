package io.slimjobs.api;

import static io.slimjobs.api.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.slimjobs.HttpCaller;
import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.SlimJobsTestSupport;
import org.junit.jupiter.api.Test;

/**
 * The `Idempotency-Key` header: the same key for the same job gives the same execution for as long as it exists. The
 * request that makes it gets 202, every repeat 200 with the same Id, and creates nothing, even when they race.
 */
class IdempotencyKeyHeaderTest extends SlimJobsTestSupport {

    private Answer postWithKey(String key, String body) {
        return http.call(HttpCaller.OUTSIDER, "POST", "/job/fibonacci",
                Map.of("Content-Type", "application/json", "Idempotency-Key", key), body);
    }

    @Test
    void should_answer_202_then_200_with_the_same_id_and_create_one_job() {
        Answer first = postWithKey("order-42", "{\"Args\": [\"1\"], \"Payload\": \"x\"}");
        Answer repeat = postWithKey("order-42", "{\"Args\": [\"1\"], \"Payload\": \"x\"}");

        assertEquals(202, first.status(), first::toString);
        assertEquals(200, repeat.status(), repeat::toString);
        ApiAssertions.assertJson(repeat);
        assertEquals(first.json().get("Id"), repeat.json().get("Id"));
        assertEquals(1, jobs().size());
        assertEquals(1, kube().secrets().inNamespace(namespace).list().getItems().size());
    }

    @Test
    void should_make_one_execution_of_requests_racing_with_the_same_key() throws Exception {
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Answer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < racers; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return postWithKey("race", "{\"Payload\": \"the same input\"}");
                }));
            }
            start.countDown();
            List<Answer> done = new ArrayList<>();
            for (Future<Answer> answer : answers) {
                done.add(answer.get());
            }

            assertEquals(1, done.stream().filter(answer -> answer.status() == 202).count(), done::toString);
            assertEquals(racers - 1, done.stream().filter(answer -> answer.status() == 200).count(), done::toString);
            assertEquals(1, done.stream().map(answer -> answer.json().get("Id").asText()).distinct().count());
            assertEquals(1, jobs().size());
            String jobUid = jobs().get(0).getMetadata().getUid();
            assertEquals(jobUid, kube().secrets().inNamespace(namespace).withName(jobs().get(0).getMetadata().getName())
                    .get().getMetadata().getOwnerReferences().get(0).getUid());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void should_make_a_new_execution_once_the_first_is_deleted() {
        Answer first = postWithKey("order-42", "");
        String id = first.json().get("Id").asText();
        String firstUid = jobOf(id).getMetadata().getUid();
        assertEquals(200, delete("/job/fibonacci/" + id).status());
        awaitUntil("the deletion cached", () -> statusOf("fibonacci", id).equals("absent"));

        Answer again = postWithKey("order-42", "");

        assertEquals(202, again.status(), again::toString);
        assertEquals(1, jobs().size());
        assertNotEquals(firstUid, jobs().get(0).getMetadata().getUid());
    }

    @Test
    void should_refuse_a_key_that_is_empty_too_long_or_not_visible_ascii_naming_the_header() {
        for (String key : List.of("", "two words", "k".repeat(256), "tab\tkey")) {
            Answer answer = postWithKey(key, "");

            assertEquals(400, answer.status(), () -> "key [" + key + "]: " + answer);
            assertError(answer, 400, "invalid_request", "Idempotency-Key", "1 to 255 visible ASCII");
        }
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_accept_a_key_of_255_visible_characters() {
        assertEquals(202, postWithKey("~!".repeat(127) + "z", "").status());
    }
}
