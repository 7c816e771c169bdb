package io.slimjobs.api;

import static io.slimjobs.api.ApiAssertions.assertError;
import static io.slimjobs.api.ApiAssertions.elementsOf;
import static io.slimjobs.api.ApiAssertions.fieldNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.slimjobs.HttpCaller;
import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.Json;
import io.slimjobs.CronJobTemplates;
import io.slimjobs.SlimJobsReplica;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.config.CronJobMapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * `/job-schedules`: creating, listing and deleting schedules, and every refusal, each a JSON `{"error", "message"}`
 * answer that stores nothing. Configured schedules are listed with Ids every replica derives alike.
 */
class SchedulesApiTest extends SlimJobsTestSupport {

    private static final int MAX_BODY_SIZE = 1000;
    private static final String SCHEDULES = """
            "Schedules": {
              "fibonacci": [
                { "Schedule": "0 0 * * *", "Args": ["42"] },
                { "Schedule": "30 6 * * 1-5", "TimeZone": "Europe/Paris" },
                { "Schedule": "0 0 * * *", "Args": ["42"] }
              ]
            }
            """;

    @Override
    protected String jobsConfiguration() {
        return withSchedules(SCHEDULES);
    }

    private static String withSchedules(String schedules) {
        return CONFIGURATION.substring(0, CONFIGURATION.lastIndexOf('}')) + "," + schedules + "}";
    }

    @Override
    protected Map<String, String> properties() {
        return Map.of("slimjobs.http.max-body-size", String.valueOf(MAX_BODY_SIZE));
    }

    private String create(String jobName, String json) {
        Answer answer = post("/job-schedules/" + jobName, json);
        assertEquals(201, answer.status(), answer::toString);
        assertEquals(List.of("Id"), fieldNames(answer.json()));
        return answer.json().get("Id").asText();
    }

    private List<JsonNode> schedules(String jobName) {
        Answer answer = get("/job-schedules/" + jobName);
        assertEquals(200, answer.status(), answer::toString);
        return elementsOf(answer.json());
    }

    private List<String> idsOf(List<JsonNode> schedules) {
        return schedules.stream().map(schedule -> schedule.get("Id").asText()).toList();
    }

    private ConfigMap storedSchedules() {
        return kube().configMaps().inNamespace(namespace).withName("slimjobs-schedules").get();
    }

    // --- create, list, delete ------------------------------------------------------------------------------

    @Test
    void should_create_a_schedule_and_list_it_after_the_configured_ones_with_its_next_run() {
        Instant before = Instant.now();
        String id = create("fibonacci", """
                {"Schedule": "*/15 * * * *", "Args": ["7"], "Resources": {"Limits": {"cpu": "200m"}}}""");

        List<JsonNode> listed = schedules("fibonacci");
        assertEquals(4, listed.size(), listed::toString);
        for (JsonNode configured : listed.subList(0, 3)) {
            assertEquals("Configuration", configured.get("Source").asText());
            assertTrue(configured.get("Id").asText().matches("[0-9a-f]{16}"), configured::toString);
        }
        assertEquals(3, idsOf(listed.subList(0, 3)).stream().distinct().count(),
                "two identical entries are two schedules, each with its own Id");
        assertEquals("UTC", listed.get(0).get("TimeZone").asText());
        assertEquals("Europe/Paris", listed.get(1).get("TimeZone").asText());
        assertEquals("30 6 * * 1-5", listed.get(1).get("Schedule").asText());

        JsonNode created = listed.get(3);
        assertEquals(List.of("Id", "Name", "Schedule", "TimeZone", "Args", "Resources", "Source",
                "NextExecutionTimestamp"), fieldNames(created));
        assertEquals(id, created.get("Id").asText());
        assertEquals("fibonacci", created.get("Name").asText());
        assertEquals("*/15 * * * *", created.get("Schedule").asText());
        assertEquals("UTC", created.get("TimeZone").asText());
        assertEquals("[\"7\"]", created.get("Args").toString());
        assertEquals("200m", created.get("Resources").get("Limits").get("cpu").asText());
        assertEquals("Api", created.get("Source").asText());
        Instant next = Instant.ofEpochMilli(created.get("NextExecutionTimestamp").asLong());
        assertTrue(next.isAfter(before) && !next.isAfter(before.plus(15, ChronoUnit.MINUTES)), next::toString);
        assertEquals(0, next.atZone(ZoneOffset.UTC).getMinute() % 15, next::toString);
    }

    @Test
    void should_store_an_api_schedule_as_one_json_entry_of_the_schedules_config_map() throws Exception {
        Instant before = Instant.now();
        String id = create("fibonacci", "{\"Schedule\": \"0 3 * * *\", \"TimeZone\": \"Asia/Tokyo\", \"Args\": [\"1\"]}");

        JsonNode stored = Json.MAPPER.readTree(storedSchedules().getData().get(id));
        assertEquals(List.of("Id", "Name", "Schedule", "TimeZone", "Args", "CreatedAt"), fieldNames(stored));
        assertEquals(id, stored.get("Id").asText());
        assertEquals("fibonacci", stored.get("Name").asText());
        assertEquals("0 3 * * *", stored.get("Schedule").asText());
        assertEquals("Asia/Tokyo", stored.get("TimeZone").asText());
        assertTrue(stored.get("CreatedAt").asLong() >= before.toEpochMilli(), stored::toString);
        assertEquals(1, storedSchedules().getData().size(), "configured schedules are not stored");
    }

    @Test
    void should_delete_an_api_schedule_then_answer_404_for_it() {
        String kept = create("fibonacci", "{\"Schedule\": \"0 1 * * *\"}");
        String deleted = create("fibonacci", "{\"Schedule\": \"0 2 * * *\"}");

        Answer answer = delete("/job-schedules/fibonacci/" + deleted);

        assertEquals(204, answer.status(), answer::toString);
        assertEquals("", answer.body());
        List<String> listed = idsOf(schedules("fibonacci"));
        assertTrue(listed.contains(kept) && !listed.contains(deleted), listed::toString);
        assertEquals(List.of(kept), List.copyOf(storedSchedules().getData().keySet()));
        assertError(delete("/job-schedules/fibonacci/" + deleted), 404, "not_found", deleted);
    }

    @Test
    void should_answer_concurrent_deletions_of_one_schedule_with_one_204_and_404s() throws Exception {
        String id = create("fibonacci", "{\"Schedule\": \"0 1 * * *\"}");
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> statuses = new ArrayList<>();
        try {
            for (int i = 0; i < callers; i++) {
                statuses.add(pool.submit(() -> {
                    start.await();
                    return delete("/job-schedules/fibonacci/" + id).status();
                }));
            }
            start.countDown();
            List<Integer> answered = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                answered.add(status.get());
            }
            assertEquals(1, answered.stream().filter(status -> status == 204).count(), answered::toString);
            assertEquals(callers - 1, answered.stream().filter(status -> status == 404).count(), answered::toString);
        } finally {
            pool.shutdownNow();
        }
        assertTrue(storedSchedules().getData().isEmpty());
    }

    @Test
    void should_refuse_to_delete_a_configured_schedule_with_409_saying_where_to_change_it() {
        String configured = idsOf(schedules("fibonacci")).get(0);

        assertError(delete("/job-schedules/fibonacci/" + configured), 409, "conflict", configured,
                "Schedules.fibonacci");
        assertEquals(3, schedules("fibonacci").size());
    }

    @Test
    void should_answer_404_for_an_unknown_id_and_for_another_jobs_schedule() {
        String configured = idsOf(schedules("fibonacci")).get(0);
        String other = create("nightly-report", "{\"Schedule\": \"0 4 * * *\"}");

        assertError(delete("/job-schedules/fibonacci/no-such-id"), 404, "not_found", "no-such-id");
        assertError(delete("/job-schedules/fibonacci/" + other), 404, "not_found", other);
        assertError(delete("/job-schedules/nightly-report/" + configured), 404, "not_found", configured);
        assertEquals(List.of(other), idsOf(schedules("nightly-report")));
    }

    // --- names and visibility ------------------------------------------------------------------------------

    @Test
    void should_keep_a_schedule_of_an_unknown_name_under_that_name_held_to_the_default_definition() {
        String id = create("Nightly-Report", "{\"Schedule\": \"0 4 * * *\", \"Image\": \"busybox:1.36\"}");

        List<JsonNode> listed = schedules("nightly-report");
        assertEquals(List.of(id), idsOf(listed));
        assertEquals("nightly-report", listed.get(0).get("Name").asText());
        assertError(post("/job-schedules/nightly-report", "{\"Schedule\": \"0 4 * * *\", \"Image\": \"evil/miner:1\"}"),
                400, "invalid_request", "Image", "evil/miner:1");
        assertError(post("/job-schedules/ab", "{\"Schedule\": \"0 4 * * *\"}"), 400, "invalid_request", "'ab'");
    }

    @Test
    void should_forbid_every_verb_on_a_private_jobs_schedules_to_an_untrusted_caller_before_anything_else() {
        assertError(post("/job-schedules/secret-job", "{\"Schedule\": \"0 4 * * *\"}"), 403, "forbidden", "secret-job");
        // visibility first: a broken body or an unknown id tells an outsider nothing
        assertError(post("/job-schedules/secret-job", "{\"Schedule\": "), 403, "forbidden", "secret-job");
        assertError(get("/job-schedules/secret-job"), 403, "forbidden", "secret-job");
        assertError(delete("/job-schedules/secret-job/no-such-id"), 403, "forbidden", "secret-job");
        assertNull(storedSchedules());
    }

    @Test
    void should_let_a_pod_of_the_namespace_create_list_and_delete_a_private_jobs_schedules() {
        String podIp = "127.0.0.5";
        kube().pods().inNamespace(namespace).resource(new PodBuilder()
                .withNewMetadata().withName("caller").endMetadata()
                .withNewSpec().addNewContainer().withName("caller").withImage("curlimages/curl:8").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(podIp).endStatus()
                .build()).create();
        awaitUntil("the pod trusted", () -> http.call(podIp, "GET", "/job-schedules/secret-job", Map.of(), null)
                .status() == 200);

        Answer created = http.call(podIp, "POST", "/job-schedules/secret-job",
                Map.of("Content-Type", "application/json"), "{\"Schedule\": \"0 4 * * *\"}");
        assertEquals(201, created.status(), created::toString);
        String id = created.json().get("Id").asText();
        assertEquals(List.of(id), idsOf(elementsOf(http.call(podIp, "GET", "/job-schedules/secret-job", Map.of(), null)
                .json())));
        assertEquals(204, http.call(podIp, "DELETE", "/job-schedules/secret-job/" + id, Map.of(), null).status());
    }

    // --- refusals ------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            no body                  | ``                                                        | Schedule: is required
            no Schedule              | {'Args': ['1']}                                           | Schedule: is required
            blank Schedule           | {'Schedule': '  '}                                        | Schedule: is required
            null Schedule            | {'Schedule': null}                                        | Schedule: is required
            Schedule not a string    | {'Schedule': 5}                                           | Schedule: must be a string
            TimeZone not a string    | {'Schedule': '0 0 * * *', 'TimeZone': 1}                  | TimeZone: must be a string
            cron out of range        | {'Schedule': '61 * * * *'}                                | Schedule: invalid cron '61 * * * *': minute: '61' is out of range 0-59
            cron of six fields       | {'Schedule': '0 0 0 * * *'}                               | Schedule: invalid cron '0 0 0 * * *': 6 fields given, 5 expected
            cron that never fires    | {'Schedule': '0 0 30 2 *'}                                | Schedule: invalid cron '0 0 30 2 *': it never fires
            unknown time zone        | {'Schedule': '0 0 * * *', 'TimeZone': 'Mars/Olympus'}     | TimeZone: unknown time zone 'Mars/Olympus'
            image not whitelisted    | {'Schedule': '0 0 * * *', 'Image': 'evil/miner:1'}        | Image: 'evil/miner:1'
            resources above the job  | {'Schedule': '0 0 * * *', 'Resources': {'Limits': {'cpu': '800m'}}} | Resources.Limits.cpu: 800m is above the job's 400m
            retries above the job    | {'Schedule': '0 0 * * *', 'BackoffLimit': 9}              | BackoffLimit: 9 is above the job's 3
            env reading a Secret     | {'Schedule': '0 0 * * *', 'Environments': [{'Name': 'T', 'SecretRef': {'Name': 's', 'Key': 'k'}}]} | Environments[0]
            malformed JSON           | {'Schedule': '0 0 * * *',                                 | malformed JSON
            not an object            | ['0 0 * * *']                                             | must be a JSON object
            unknown property         | {'Schedule': '0 0 * * *', 'Argz': ['1']}                  | Argz: unknown property; did you mean Args?
            misspelt Schedule        | {'Schedul': '0 0 * * *'}                                  | Schedul: unknown property; did you mean Schedule?
            misspelt TimeZone        | {'Schedule': '0 0 * * *', 'TimeZon': 'UTC'}               | TimeZon: unknown property; did you mean TimeZone?
            """)
    void should_refuse_a_schedule_that_is_broken_or_could_never_run_with_400(String problem, String body,
                                                                               String mention) {
        Answer answer = post("/job-schedules/fibonacci", body.replace('\'', '"'));

        assertError(answer, 400, "invalid_request", mention);
        assertNull(storedSchedules(), "nothing stored");
    }

    @Test
    void should_refuse_a_body_that_is_not_json_with_415() {
        Answer answer = http.call(HttpCaller.OUTSIDER, "POST", "/job-schedules/fibonacci",
                Map.of("Content-Type", "text/plain"), "{\"Schedule\": \"0 0 * * *\"}");

        assertError(answer, 415, "unsupported_media_type", "text/plain");
        assertNull(storedSchedules());
    }

    @Test
    void should_refuse_an_oversized_body_with_413() {
        String body = "{\"Schedule\": \"0 0 * * *\", \"Args\": [\"" + "x".repeat(MAX_BODY_SIZE) + "\"]}";

        assertError(post("/job-schedules/fibonacci", body), 413, "payload_too_large", String.valueOf(MAX_BODY_SIZE));
        assertNull(storedSchedules());
    }

    /** A ConfigMap holds at most 1 MiB: a store that is full refuses the write with 422, which the caller is told. */
    @Test
    void should_answer_400_with_the_api_servers_reason_when_the_store_refuses_the_schedule() {
        String tooLong = "ConfigMap \"slimjobs-schedules\" is invalid: []: Too long: must have at most 1048576 bytes";
        cluster.expect().post().withPath("/api/v1/namespaces/" + namespace + "/configmaps")
                .andReturn(422, new StatusBuilder().withStatus("Failure").withReason("Invalid").withCode(422)
                        .withMessage(tooLong).build())
                .once();

        Answer answer = post("/job-schedules/fibonacci", "{\"Schedule\": \"0 0 * * *\"}");

        assertError(answer, 400, "invalid_request", "Kubernetes refused the write: " + tooLong);
        assertNull(storedSchedules());
    }

    @Test
    void should_answer_405_with_allow_to_other_verbs_on_schedule_paths() {
        for (String method : List.of("PUT", "PATCH")) {
            Answer onJob = http.call(HttpCaller.OUTSIDER, method, "/job-schedules/fibonacci",
                    Map.of("Content-Type", "application/json"), "{}");
            assertError(onJob, 405, "method_not_allowed", method);
            assertEquals(List.of("GET", "POST"), Stream.of(onJob.allow().split("\\s*,\\s*")).sorted().toList());

            Answer onSchedule = http.call(HttpCaller.OUTSIDER, method, "/job-schedules/fibonacci/some-id",
                    Map.of("Content-Type", "application/json"), "{}");
            assertError(onSchedule, 405, "method_not_allowed", method);
            assertEquals("DELETE", onSchedule.allow());
        }
        assertError(http.call(HttpCaller.OUTSIDER, "GET", "/job-schedules/fibonacci/some-id", Map.of(), null), 405,
                "method_not_allowed");
    }

    // --- every source, every replica -----------------------------------------------------------------------

    @Test
    void should_list_each_definitions_schedules_with_their_next_run_in_jobs_status() {
        String id = create("fibonacci", "{\"Schedule\": \"0 5 * * *\"}");

        JsonNode fibonacci = null;
        for (JsonNode definition : get("/jobs/status").json()) {
            if (definition.get("Name").asText().equals("fibonacci")) {
                fibonacci = definition;
            }
        }
        assertNotNull(fibonacci);
        List<JsonNode> listed = elementsOf(fibonacci.get("Schedules"));
        assertEquals(idsOf(schedules("fibonacci")), idsOf(listed));
        assertEquals(id, listed.get(3).get("Id").asText());
        for (JsonNode schedule : listed) {
            assertTrue(schedule.get("NextExecutionTimestamp").asLong() > System.currentTimeMillis(), schedule::toString);
        }
    }

    /** A suspended CronJob `fibonacci5` that defines a Public job with one schedule, as read by SlimJobs. */
    private void cronJobWithSchedule() {
        kube().batch().v1().cronjobs().inNamespace(namespace).resource(CronJobTemplates.annotated("fibonacci5",
                builder -> builder.editMetadata()
                        .addToAnnotations(CronJobMapping.VISIBILITY, "Public")
                        .addToAnnotations(CronJobMapping.SCHEDULES, "[{\"Schedule\": \"0 2 * * *\", \"Args\": [\"cron\"]}]")
                        .endMetadata())).create();
        awaitUntil("the CronJob's schedule listed", () -> get("/job-schedules/fibonacci5").body().contains("CronJob"));
    }

    @Test
    void should_list_the_schedules_of_every_source_with_the_same_ids_on_another_replica_and_after_edits()
            throws Exception {
        cronJobWithSchedule();
        String created = create("fibonacci", "{\"Schedule\": \"0 5 * * *\"}");
        String createdForCronJob = create("fibonacci5", "{\"Schedule\": \"0 6 * * *\"}");
        List<String> here = idsOf(schedules("fibonacci"));
        List<JsonNode> ofCronJob = schedules("fibonacci5");
        assertEquals(List.of("CronJob", "Api"), ofCronJob.stream().map(schedule -> schedule.get("Source").asText())
                .toList());
        assertEquals("[\"cron\"]", ofCronJob.get(0).get("Args").toString());
        assertTrue(ofCronJob.get(0).get("Id").asText().matches("[0-9a-f]{16}"), ofCronJob::toString);
        assertEquals(createdForCronJob, ofCronJob.get(1).get("Id").asText());

        try (SlimJobsReplica other = replica("replica-b", Map.of(), Map.of())) {
            assertEquals(here, idsOf(elementsOf(other.http().call(HttpCaller.OUTSIDER, "GET",
                    "/job-schedules/fibonacci", Map.of(), null).json())), "the same Ids, in the same order");
            assertEquals(idsOf(ofCronJob), idsOf(elementsOf(other.http().call(HttpCaller.OUTSIDER, "GET",
                    "/job-schedules/fibonacci5", Map.of(), null).json())));
        }

        Path edited = Files.createTempFile("slimjobs-edited-", ".json");
        edited.toFile().deleteOnExit();
        Files.writeString(edited, withSchedules(SCHEDULES.replace("30 6 * * 1-5", "45 6 * * 1-5")));
        try (SlimJobsReplica restarted = replica("replica-c", Map.of("slimjobs.config.file", edited.toString()),
                Map.of())) {
            List<String> after = idsOf(elementsOf(restarted.http().call(HttpCaller.OUTSIDER, "GET",
                    "/job-schedules/fibonacci", Map.of(), null).json()));
            assertEquals(here.get(0), after.get(0));
            assertNotEquals(here.get(1), after.get(1), "an edited entry is a new schedule");
            assertEquals(here.get(2), after.get(2));
            assertEquals(created, after.get(3));
        }
    }

    @Test
    void should_refuse_to_delete_a_cronjob_schedule_with_409_saying_where_to_change_it() {
        cronJobWithSchedule();
        String id = idsOf(schedules("fibonacci5")).get(0);

        assertError(delete("/job-schedules/fibonacci5/" + id), 409, "conflict", id, "CronJob", "SlimFaas/Schedules");
        assertEquals(List.of(id), idsOf(schedules("fibonacci5")));
    }
}
