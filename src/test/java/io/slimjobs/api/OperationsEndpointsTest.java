package io.slimjobs.api;

import static io.slimjobs.api.ApiAssertions.assertError;
import static io.slimjobs.api.ApiAssertions.elementsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.Json;
import io.slimjobs.MetricSamples;
import io.slimjobs.SlimJobsTestSupport;
import org.junit.jupiter.api.Test;

/** What operators and probes read: `/health`, `/ready`, `/metrics` and `/jobs/status`. */
class OperationsEndpointsTest extends SlimJobsTestSupport {

    private static final String CONFIGURATION = """
            {
              "Configurations": {
                "fibonacci": {
                  "Image": "axaguildev/fibonacci-batch:latest",
                  "ImagesWhitelist": ["axaguildev/fibonacci-batch:*"],
                  "Resources": {
                    "Requests": { "cpu": "400m", "memory": "400Mi" },
                    "Limits": { "cpu": "400m", "memory": "400Mi" }
                  },
                  "BackoffLimit": 3,
                  "Visibility": "Public",
                  "NumberParallelJob": 2
                },
                "nightly": {
                  "Image": "registry.local/nightly:1",
                  "Visibility": "Public",
                  "DependsOn": ["postgres"],
                  "NumberParallelJob": 3
                },
                "secret-job": {
                  "Image": "registry.local/secret:1",
                  "Visibility": "Private"
                },
                "Default": {
                  "Image": "busybox:1.36",
                  "Visibility": "Public"
                }
              },
              "Schedules": {
                "nightly": [ { "Schedule": "0 0 * * *", "Args": ["42"] } ]
              }
            }
            """;

    @Override
    protected String jobsConfiguration() {
        return CONFIGURATION;
    }

    private Map<String, JsonNode> statusByName() {
        Answer answer = get("/jobs/status");
        assertEquals(200, answer.status(), answer::toString);
        ApiAssertions.assertJson(answer);
        return elementsOf(answer.json()).stream()
                .collect(Collectors.toMap(definition -> definition.get("Name").asText(), Function.identity()));
    }

    private List<String> runningJobIds(String jobName) {
        return elementsOf(statusByName().get(jobName).get("RunningJobs")).stream()
                .map(execution -> execution.get("Id").asText()).toList();
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void should_answer_health_with_status_up() {
        Answer answer = get("/health");

        assertEquals(200, answer.status(), answer::toString);
        ApiAssertions.assertJson(answer);
        assertEquals("UP", answer.json().get("status").asText());
    }

    @Test
    void should_answer_ready_once_the_caches_are_synced() {
        awaitUntil("ready", () -> get("/ready").status() == 200);

        Answer answer = get("/ready");

        ApiAssertions.assertJson(answer);
        assertEquals("UP", answer.json().get("status").asText());
    }

    /** The only replica takes the Lease: /ready and the leader gauge say so. */
    @Test
    void should_say_in_ready_and_metrics_that_the_only_replica_leads() {
        awaitUntil("leading", () -> get("/ready").json().path("Leader").asBoolean());

        MetricSamples metrics = metrics();
        assertEquals(Optional.of(1.0), metrics.value("slimjobs_leader"));
        assertEquals(1, metrics.count("slimjobs_leadership_changes_total", "transition", "acquired"));
        assertEquals(0, metrics.count("slimjobs_leadership_changes_total", "transition", "lost"));
    }

    @Test
    void should_count_accepted_and_rejected_triggers_per_job_in_prometheus_metrics() {
        trigger("fibonacci", "{\"Args\": [\"1\"]}");
        assertError(post("/job/fibonacci", "{\"BackoffLimit\": 99}"), 400, "invalid_request", "BackoffLimit");
        assertError(post("/job/fibonacci", "{\"Image\": \"evil/miner:1\"}"), 400, "invalid_request", "Image");

        Answer answer = get("/metrics");

        assertEquals(200, answer.status(), answer::toString);
        assertNotNull(answer.contentType());
        assertTrue(answer.contentType().startsWith("text/plain"), answer.contentType());
        String text = answer.body();
        assertTrue(text.contains("# TYPE slimjobs_triggers_total counter"), text);
        MetricSamples metrics = MetricSamples.parse(text);
        assertEquals(Optional.of(1.0), metrics.value("slimjobs_triggers_total", "job_name", "fibonacci", "door", "http",
                "outcome", "accepted"));
        assertEquals(Optional.of(2.0), metrics.value("slimjobs_triggers_total", "job_name", "fibonacci", "door", "http",
                "outcome", "rejected"));
        assertEquals(Optional.empty(), metrics.value("slimjobs_triggers_total", "job_name", "nightly"));
        // Prometheus' own `job` label names the scrape target: SlimJobs' job name must not take it
        Set<String> labels = metrics.labelNames("slimjobs_triggers_total");
        assertTrue(labels.containsAll(Set.of("door", "job_name", "outcome")) && !labels.contains("job"),
                labels::toString);
        assertEquals(1, jobs().size());
    }

    @Test
    void should_serve_camel_route_metrics_of_the_trigger_route_from_the_same_registry() {
        trigger("fibonacci", "");

        MetricSamples metrics = metrics();

        assertEquals(Optional.of(1.0), metrics.value("camel_exchanges_total", "routeId", "trigger"));
        assertEquals(Optional.of(1.0), metrics.value("slimjobs_triggers_total", "job_name", "fibonacci"));
    }

    @Test
    void should_describe_every_visible_definition_in_jobs_status() {
        Map<String, JsonNode> status = statusByName();

        // secret-job is Private and this caller is not trusted
        assertEquals(List.of("default", "fibonacci", "nightly"), status.keySet().stream().sorted().toList());
        for (JsonNode definition : status.values()) {
            for (String field : List.of("Name", "Visibility", "Image", "NumberParallelJob", "Resources", "DependsOn",
                    "Schedules", "RunningJobs")) {
                assertTrue(definition.has(field), () -> field + " missing in " + definition);
            }
        }
        JsonNode fibonacci = status.get("fibonacci");
        assertEquals("Public", fibonacci.get("Visibility").asText());
        assertEquals("axaguildev/fibonacci-batch:latest", fibonacci.get("Image").asText());
        assertEquals(2, fibonacci.get("NumberParallelJob").asInt());
        assertEquals(json("""
                {"Requests": {"cpu": "400m", "memory": "400Mi"}, "Limits": {"cpu": "400m", "memory": "400Mi"}}
                """), fibonacci.get("Resources"));
        assertEquals(json("[]"), fibonacci.get("DependsOn"));
        assertEquals(json("[]"), fibonacci.get("Schedules"));
        assertEquals(json("[]"), fibonacci.get("RunningJobs"));

        JsonNode nightly = status.get("nightly");
        assertEquals(3, nightly.get("NumberParallelJob").asInt());
        assertEquals(json("[\"postgres\"]"), nightly.get("DependsOn"));
        // no Resources of its own: held to the Default entry's
        assertEquals(json("""
                {"Requests": {"cpu": "100m", "memory": "100Mi"}, "Limits": {"cpu": "100m", "memory": "100Mi"}}
                """), nightly.get("Resources"));
        assertEquals(1, nightly.get("Schedules").size(), nightly::toString);
        JsonNode schedule = nightly.get("Schedules").get(0);
        long nextMidnight = LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
                .toEpochMilli();
        assertEquals(json("{\"Id\": \"" + schedule.get("Id").asText() + "\", \"Name\": \"nightly\", \"Schedule\": "
                        + "\"0 0 * * *\", \"TimeZone\": \"UTC\", \"Args\": [\"42\"], \"Source\": \"Configuration\", "
                        + "\"NextExecutionTimestamp\": " + nextMidnight + "}"), schedule,
                "a schedule is shown with its overrides beside Schedule, where it is defined and when it runs next");

        assertEquals("busybox:1.36", status.get("default").get("Image").asText());
    }

    @Test
    void should_show_active_executions_in_running_jobs_and_drop_finished_ones() {
        String finishes = trigger("fibonacci", "");
        String keepsRunning = trigger("fibonacci", "");
        awaitUntil("both running", () -> statusOf("fibonacci", finishes).equals("Running")
                && statusOf("fibonacci", keepsRunning).equals("Running"));

        List<String> running = runningJobIds("fibonacci");
        assertEquals(2, running.size(), running::toString);
        assertEquals(Set.of(finishes, keepsRunning), Set.copyOf(running));
        JsonNode shown = elementsOf(statusByName().get("fibonacci").get("RunningJobs")).get(0);
        assertEquals("Running", shown.get("Status").asText());
        assertEquals(jobOf(shown.get("Id").asText()).getMetadata().getName(), shown.get("Name").asText());

        kubelet().succeed(jobOf(finishes).getMetadata().getName());
        awaitUntil("succeeded", () -> statusOf("fibonacci", finishes).equals("Succeeded"));

        assertEquals(List.of(keepsRunning), runningJobIds("fibonacci"));
        assertEquals(List.of(), runningJobIds("nightly"));
    }
}
