package io.slimjobs.api;

import static io.slimjobs.api.ApiAssertions.assertError;
import static io.slimjobs.api.ApiAssertions.elementsOf;
import static io.slimjobs.api.ApiAssertions.fieldNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.Json;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.kube.Labels;
import org.junit.jupiter.api.Test;

/** `GET /job/{name}` and `DELETE /job/{name}/{id}`: what a listing shows, and what a deletion removes. */
class ListAndDeleteTest extends SlimJobsTestSupport {

    /** `single` runs one execution at a time and never retries, so its queue and its failures are easy to hold. */
    private static final String CONFIGURATION = """
            {
              "Configurations": {
                "single": {
                  "Image": "registry.local/single:1",
                  "Visibility": "Public",
                  "NumberParallelJob": 1,
                  "BackoffLimit": 0
                },
                "other": {
                  "Image": "registry.local/other:1",
                  "Visibility": "Public",
                  "NumberParallelJob": 5
                },
                "my_job": {
                  "Image": "registry.local/my-job:1",
                  "Visibility": "Public"
                },
                "Default": {
                  "Image": "busybox:1.36",
                  "Visibility": "Public"
                }
              }
            }
            """;

    @Override
    protected String jobsConfiguration() {
        return CONFIGURATION;
    }

    private JsonNode list(String jobName) {
        Answer answer = get("/job/" + jobName);
        assertEquals(200, answer.status(), answer::toString);
        ApiAssertions.assertJson(answer);
        return answer.json();
    }

    private JsonNode executionOf(String jobName, String id) {
        return elementsOf(list(jobName)).stream().filter(e -> e.get("Id").asText().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not listed under " + jobName));
    }

    private List<String> idsOf(String jobName) {
        return elementsOf(list(jobName)).stream().map(e -> e.get("Id").asText()).toList();
    }

    private String objectName(String id) {
        return jobOf(id).getMetadata().getName();
    }

    private Job jobNamed(String objectName) {
        return kube().batch().v1().jobs().inNamespace(namespace).withName(objectName).get();
    }

    /** Starts `single`'s first execution and waits until it runs, so that later triggers stay queued. */
    private String running(String jobName) {
        String id = trigger(jobName, "");
        awaitUntil(id + " running", () -> statusOf(jobName, id).equals("Running"));
        return id;
    }

    private static void assertEpochMillisBetween(long from, long to, long actual) {
        // seconds since 1970 would be ~1000 times smaller; the API server keeps start times to the second
        assertTrue(actual >= from - 1_000 && actual <= to + 1_000,
                () -> actual + " is not an epoch-millisecond time between " + from + " and " + to);
    }

    // --- listing ---------------------------------------------------------------------------------------

    @Test
    void should_list_only_the_named_jobs_executions_with_slimfaas_fields_in_order() {
        String mine = trigger("other", "");
        String theirs = trigger("single", "");

        awaitUntil("both listed", () -> idsOf("other").contains(mine) && idsOf("single").contains(theirs));

        assertEquals(List.of(mine), idsOf("other"));
        assertEquals(List.of(theirs), idsOf("single"));
        JsonNode execution = executionOf("other", mine);
        assertEquals(List.of("Name", "Status", "Id", "PositionInQueue", "InQueueTimestamp", "StartTimestamp"),
                fieldNames(execution).subList(0, 6));
        assertEquals(objectName(mine), execution.get("Name").asText());
        assertEquals(List.of(), elementsOf(list("never-triggered")));
    }

    @Test
    void should_number_queued_executions_from_1_in_trigger_order_without_a_start_time() {
        long before = System.currentTimeMillis();
        String first = running("single");
        String second = trigger("single", "");
        String third = trigger("single", "");
        long after = System.currentTimeMillis();

        awaitUntil("both queued", () -> idsOf("single").containsAll(List.of(second, third)));

        JsonNode listing = list("single");
        assertEquals(List.of(first, second, third), elementsOf(listing).stream().map(e -> e.get("Id").asText())
                .toList());
        for (int i = 1; i <= 2; i++) {
            JsonNode queued = listing.get(i);
            assertEquals("Queued", queued.get("Status").asText());
            assertEquals(i, queued.get("PositionInQueue").asInt());
            assertEquals(-1, queued.get("StartTimestamp").asLong());
            assertTrue(queued.get("InQueueTimestamp").isIntegralNumber(), queued::toString);
            assertEpochMillisBetween(before, after, queued.get("InQueueTimestamp").asLong());
        }
        assertTrue(listing.get(1).get("InQueueTimestamp").asLong() <= listing.get(2).get("InQueueTimestamp").asLong());
    }

    @Test
    void should_list_started_executions_newest_first() {
        String older = running("other");
        String newer = running("other");

        JsonNode listing = list("other");

        assertEquals(List.of(newer, older), elementsOf(listing).stream().map(e -> e.get("Id").asText()).toList());
        assertTrue(listing.get(0).get("InQueueTimestamp").asLong() > listing.get(1).get("InQueueTimestamp").asLong(),
                listing::toString);
    }

    @Test
    void should_give_a_started_execution_no_queue_position_and_an_epoch_millisecond_start_time() {
        long before = System.currentTimeMillis();
        String id = running("single");
        long after = System.currentTimeMillis();

        JsonNode execution = executionOf("single", id);

        assertEquals(-1, execution.get("PositionInQueue").asInt());
        assertTrue(execution.get("StartTimestamp").isIntegralNumber(), execution::toString);
        assertEpochMillisBetween(before, after, execution.get("StartTimestamp").asLong());
        assertEpochMillisBetween(before, after, execution.get("InQueueTimestamp").asLong());
        assertTrue(execution.get("InQueueTimestamp").asLong() <= execution.get("StartTimestamp").asLong() + 1_000);
    }

    @Test
    void should_show_running_succeeded_failed_and_image_pull_back_off() {
        String succeeds = running("single");
        String fails = trigger("single", "");
        String cannotPull = trigger("single", "");

        kubelet().succeed(objectName(succeeds));
        awaitUntil("succeeded", () -> statusOf("single", succeeds).equals("Succeeded"));
        awaitUntil("next running", () -> statusOf("single", fails).equals("Running"));

        kubelet().refusePull("registry.local/single:1");
        kubelet().fail(objectName(fails));
        // BackoffLimit 0: the first failed pod fails the execution
        awaitUntil("failed", () -> statusOf("single", fails).equals("Failed"));
        awaitUntil("image pull back-off", () -> statusOf("single", cannotPull).equals("ImagePullBackOff"));

        assertEquals("Succeeded", statusOf("single", succeeds));
        assertEquals("Failed", statusOf("single", fails));
        for (String id : List.of(succeeds, fails, cannotPull)) {
            assertEquals(-1, executionOf("single", id).get("PositionInQueue").asInt());
        }
    }

    @Test
    void should_list_a_finished_execution_as_its_job_now_is_in_the_json_jackson_writes() throws Exception {
        String older = running("single");
        kubelet().succeed(objectName(older));
        awaitUntil("older succeeded", () -> statusOf("single", older).equals("Succeeded"));
        String id = running("single");
        kubelet().succeed(objectName(id));
        awaitUntil("succeeded", () -> statusOf("single", id).equals("Succeeded"));
        String before = get("/job/single").body();
        assertEquals(before, get("/job/single").body());

        // a finished Job edited afterwards, here given a reason in a text that is not ASCII
        String reason = "arrêté à la main — 止";
        retryingConflicts(() -> kube().batch().v1().jobs().inNamespace(namespace).withName(objectName(id))
                .edit(job -> {
                    job.getMetadata().getAnnotations().put(Labels.FAILURE_REASON, reason);
                    return job;
                }));
        awaitUntil("reason listed", () -> executionOf("single", id).has("Reason"));

        Answer after = get("/job/single");
        // listed newest first: the reason ends the first element, the older one is listed as it was
        int firstEnd = before.indexOf("},{");
        assertEquals(before.substring(0, firstEnd) + ",\"Reason\":\"" + reason + "\"" + before.substring(firstEnd),
                after.body());
        assertEquals(Json.MAPPER.writeValueAsString(after.json()), after.body());
        // sent whole, its length that of the UTF-8 bytes
        assertEquals(String.valueOf(after.body().getBytes(StandardCharsets.UTF_8).length),
                after.header("Content-Length"));
    }

    // --- deleting --------------------------------------------------------------------------------------

    /** Deletes, checks the answer, and waits until the execution is gone from the listing and the API server. */
    private void assertDeleted(String jobName, String id) {
        String objectName = objectName(id);

        Answer answer = delete("/job/" + jobName + "/" + id);

        assertEquals(200, answer.status(), answer::toString);
        ApiAssertions.assertJson(answer);
        assertEquals(id, answer.json().get("Id").asText());
        awaitUntil("gone from the listing", () -> !idsOf(jobName).contains(id));
        awaitUntil("gone from the API server", () -> jobNamed(objectName) == null);
    }

    @Test
    void should_delete_a_queued_execution() {
        String runningId = running("single");
        String queued = trigger("single", "");
        awaitUntil("queued", () -> statusOf("single", queued).equals("Queued"));

        assertDeleted("single", queued);

        assertEquals(List.of(runningId), idsOf("single"));
        assertEquals("Running", statusOf("single", runningId));
    }

    @Test
    void should_delete_a_running_execution_and_its_pod() {
        String id = running("single");
        String objectName = objectName(id);
        assertTrue(kubelet().livePod(objectName).isPresent());

        assertDeleted("single", id);

        awaitUntil("pod gone", () -> kubelet().livePod(objectName).isEmpty());
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_delete_a_finished_execution() {
        String id = running("single");
        kubelet().succeed(objectName(id));
        awaitUntil("succeeded", () -> statusOf("single", id).equals("Succeeded"));

        assertDeleted("single", id);

        assertEquals(List.of(), jobs());
    }

    @Test
    void should_answer_200_to_one_of_simultaneous_deletions_and_404_to_the_others() throws Exception {
        String id = running("single");
        int callers = 4;
        CyclicBarrier start = new CyclicBarrier(callers);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Future<Answer>> deletions = new ArrayList<>();
        try {
            for (int i = 0; i < callers; i++) {
                deletions.add(pool.submit(() -> {
                    start.await();
                    return delete("/job/single/" + id);
                }));
            }
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> deletion : deletions) {
                answers.add(deletion.get(30, TimeUnit.SECONDS));
            }

            assertEquals(1, answers.stream().filter(answer -> answer.status() == 200).count(), answers::toString);
            answers.stream().filter(answer -> answer.status() != 200)
                    .forEach(answer -> assertError(answer, 404, "not_found", id));
        } finally {
            pool.shutdownNow();
        }
        awaitUntil("gone from the listing", () -> !idsOf("single").contains(id));
    }

    @Test
    void should_answer_404_for_an_unknown_id_and_delete_nothing() {
        String id = trigger("single", "");

        assertError(delete("/job/single/no-such-id"), 404, "not_found", "no-such-id");

        assertEquals(List.of(id), jobs().stream().map(job -> job.getMetadata().getLabels().get(Labels.ID)).toList());
    }

    @Test
    void should_answer_404_for_an_id_of_another_job_and_leave_that_execution_alone() {
        String theirs = running("other");
        String objectName = objectName(theirs);

        assertError(delete("/job/single/" + theirs), 404, "not_found", theirs);

        assertNotNull(jobNamed(objectName));
        assertNull(jobNamed(objectName).getMetadata().getDeletionTimestamp());
        assertEquals("Running", statusOf("other", theirs));
        assertEquals(List.of(), idsOf("single"));
    }

    // --- names -----------------------------------------------------------------------------------------

    @Test
    void should_run_an_unknown_name_under_default_and_list_it_under_its_own_name() {
        String id = trigger("unknown-name", "");

        Job job = jobOf(id);
        assertEquals("busybox:1.36", job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertEquals("unknown-name", job.getMetadata().getLabels().get(Labels.JOB));
        assertTrue(job.getMetadata().getName().startsWith("unknown-name-"), job.getMetadata().getName());
        awaitUntil("listed", () -> idsOf("unknown-name").contains(id));
        assertEquals(List.of(), idsOf("default"));
        awaitUntil("running", () -> statusOf("unknown-name", id).equals("Running"));
    }

    @Test
    void should_keep_an_underscore_in_the_label_and_use_a_dash_in_object_names() {
        String id = trigger("my_job", "");

        Job job = jobOf(id);
        assertEquals("my_job", job.getMetadata().getLabels().get(Labels.JOB));
        assertTrue(job.getMetadata().getName().startsWith("my-job-"), job.getMetadata().getName());
        assertEquals("my-job", job.getSpec().getTemplate().getSpec().getContainers().get(0).getName());
        assertEquals("registry.local/my-job:1", job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        awaitUntil("listed", () -> idsOf("my_job").contains(id));
        assertEquals(job.getMetadata().getName(), executionOf("my_job", id).get("Name").asText());
        assertEquals(List.of(), idsOf("my-job"));
    }
}
