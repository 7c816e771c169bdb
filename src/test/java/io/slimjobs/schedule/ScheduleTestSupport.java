package io.slimjobs.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slimjobs.Endpoints;
import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.Json;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.TestClock;
import io.slimjobs.kube.Labels;
import io.slimjobs.queue.LeaseLeadership;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

/**
 * Schedules on a clock the test moves: the minute tick (Quartz, real time) is stopped, and the test runs the tick
 * itself, as the leader's Quartz route or takeover would, at the time it set. A `report` job runs one execution at a
 * time and has one configured hourly schedule.
 */
abstract class ScheduleTestSupport extends SlimJobsTestSupport {

    static final Instant START = Instant.parse("2030-01-01T00:30:00Z");
    static final String CONFIGURED = """
            {
              "Configurations": {
                "report": {
                  "Image": "registry.local/report:1",
                  "ImagesWhitelist": ["registry.local/report:*"],
                  "Visibility": "Public",
                  "NumberParallelJob": 1
                },
                "Default": { "Image": "busybox:1.36", "Visibility": "Public" }
              },
              "Schedules": {
                "report": [ { "Schedule": "0 * * * *", "Args": ["hourly"] } ]
              }
            }
            """;

    final TestClock clock = new TestClock(START);

    @Override
    protected String jobsConfiguration() {
        return CONFIGURED;
    }

    @Override
    protected TestClock clock() {
        return clock;
    }

    /** Before each test: no real-time tick, this replica leads, and its takeover has seen the configured schedule. */
    void awaitLeadingWithoutTicks(CamelContext camel) throws Exception {
        camel.getRouteController().stopRoute("schedule-tick");
        LeaseLeadership leadership = camel.getRegistry().lookupByNameAndType("leadership", LeaseLeadership.class);
        awaitUntil("leading", leadership::leads);
        awaitUntil("the configured schedule seen", () -> runRecords().containsKey(configuredId()));
    }

    /** One tick at the clock's time, as the leader's Quartz route runs it; returns once every fire is done. */
    static void tick(ProducerTemplate camel) {
        camel.sendBody(Endpoints.SCHEDULE_TICK, null);
    }

    void tick() {
        tick(template);
    }

    String createSchedule(String jobName, String json) {
        Answer answer = post("/job-schedules/" + jobName, json);
        assertEquals(201, answer.status(), answer::toString);
        return answer.json().get("Id").asText();
    }

    List<JsonNode> schedulesOf(String jobName) {
        List<JsonNode> schedules = new ArrayList<>();
        get("/job-schedules/" + jobName).json().elements().forEachRemaining(schedules::add);
        return schedules;
    }

    JsonNode schedule(String jobName, String id) {
        return schedulesOf(jobName).stream().filter(schedule -> schedule.get("Id").asText().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("schedule " + id + " not listed under " + jobName));
    }

    String configuredId() {
        return schedulesOf("report").get(0).get("Id").asText();
    }

    /** The run records as stored, by schedule Id. */
    Map<String, JsonNode> runRecords() {
        ConfigMap records = kube().configMaps().inNamespace(namespace).withName("slimjobs-schedule-runs").get();
        Map<String, JsonNode> parsed = new TreeMap<>();
        if (records != null && records.getData() != null) {
            records.getData().forEach((id, json) -> parsed.put(id, read(json)));
        }
        return parsed;
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }

    /** The Jobs made by fires, by their idempotency key. */
    Map<String, Job> firedJobs() {
        Map<String, Job> fired = new TreeMap<>();
        for (Job job : jobs()) {
            String key = job.getMetadata().getAnnotations().get(Labels.IDEMPOTENCY_KEY);
            if (key != null && fired.put(key, job) != null) {
                throw new AssertionError("two Jobs for " + key);
            }
        }
        return fired;
    }

    static String key(String scheduleId, Instant occurrence) {
        return "schedule:" + scheduleId + "@" + occurrence.toEpochMilli();
    }

    static String executionId(Job job) {
        return job.getMetadata().getLabels().get(Labels.ID);
    }
}
