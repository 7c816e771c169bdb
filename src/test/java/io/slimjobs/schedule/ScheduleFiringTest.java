package io.slimjobs.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slimjobs.LogCapture;
import io.slimjobs.MetricSamples;
import io.slimjobs.config.Definitions;
import io.slimjobs.config.JobsConfigurationLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** On the leader, each due occurrence fires once through the trigger pipeline, on a clock the test moves. */
class ScheduleFiringTest extends ScheduleTestSupport {

    private static final Instant QUARTER_TO = Instant.parse("2030-01-01T00:45:00Z");

    @BeforeEach
    void leadWithoutRealTimeTicks() throws Exception {
        awaitLeadingWithoutTicks(context);
    }

    @Test
    void should_fire_through_the_trigger_pipeline_so_the_queue_and_its_cap_apply_and_get_job_lists_it() {
        String first = createSchedule("report", "{\"Schedule\": \"45 0 * * *\", \"Args\": [\"first\"]}");
        String second = createSchedule("report", "{\"Schedule\": \"45 0 * * *\", \"Args\": [\"second\"]}");
        clock.set(QUARTER_TO.plusMillis(200));

        tick();

        Map<String, Job> fired = firedJobs();
        assertEquals(Set.of(key(first, QUARTER_TO), key(second, QUARTER_TO)), fired.keySet());
        Job firstJob = fired.get(key(first, QUARTER_TO));
        assertEquals("report", firstJob.getMetadata().getLabels().get("slimjobs.io/job"));
        assertEquals(List.of("first"), firstJob.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
        String firstId = executionId(firstJob);
        String secondId = executionId(fired.get(key(second, QUARTER_TO)));
        // NumberParallelJob 1: one runs, the other waits its turn in the queue
        awaitUntil("one running, one queued", () -> Set.of(statusOf("report", firstId), statusOf("report", secondId))
                .equals(Set.of("Running", "Queued")));

        JsonNode listed = schedule("report", first);
        assertEquals(QUARTER_TO.toEpochMilli(), listed.get("LastExecutionTimestamp").asLong());
        assertEquals(firstId, listed.get("LastExecutionId").asText());
        assertEquals(Instant.parse("2030-01-02T00:45:00Z").toEpochMilli(), listed.get("NextExecutionTimestamp").asLong());
        JsonNode record = runRecords().get(first);
        assertEquals(QUARTER_TO.toEpochMilli(), record.get("Occurrence").asLong());
        assertEquals(firstId, record.get("ExecutionId").asText());
        assertEquals(QUARTER_TO.plusMillis(200).toEpochMilli(), record.get("FiredAt").asLong());

        clock.advance(Duration.ofSeconds(30));
        tick();
        assertEquals(2, jobs().size(), "an occurrence fires once");
        MetricSamples metrics = metrics();
        assertEquals(2, metrics.count("slimjobs_schedule_fires_total", "job_name", "report"));
        assertEquals(0, metrics.count("slimjobs_schedule_misses_total", "job_name", "report"), "fired on time");
    }

    @Test
    void should_mount_the_payload_of_a_schedule_entry_in_the_fired_execution() {
        String id = createSchedule("report", "{\"Schedule\": \"45 0 * * *\", \"Payload\": \"{\\\"day\\\": 1}\"}");
        clock.set(QUARTER_TO);

        tick();

        Job fired = firedJobs().get(key(id, QUARTER_TO));
        var secret = kube().secrets().inNamespace(namespace).withName(fired.getMetadata().getName()).get();
        assertEquals("{\"day\": 1}", new String(java.util.Base64.getDecoder().decode(secret.getData().get("payload")),
                java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("/etc/slimjobs/payload", fired.getSpec().getTemplate().getSpec().getContainers().get(0)
                .getVolumeMounts().get(0).getMountPath());
    }

    @Test
    void should_record_a_fire_the_guard_rails_now_refuse_and_not_try_that_occurrence_again() {
        String id = createSchedule("report", "{\"Schedule\": \"45 0 * * *\", \"Image\": \"registry.local/report:2\"}");
        Definitions definitions = context.getRegistry().lookupByNameAndType("definitions", Definitions.class);
        definitions.replace(JobsConfigurationLoader.parse(new JobsConfigurationLoader.Source("test",
                CONFIGURED.replace("[\"registry.local/report:*\"]", "[]"))));
        clock.set(QUARTER_TO);

        try (LogCapture log = LogCapture.start()) {
            tick();
            clock.advance(Duration.ofMinutes(1));
            tick();

            List<String> refusals = log.lines().stream()
                    .filter(line -> line.contains("ERROR") && line.contains(id) && line.contains("report")).toList();
            assertEquals(1, refusals.size(), () -> "logged once, not retried: " + log.lines());
            assertTrue(refusals.get(0).contains("registry.local/report:2"), refusals.get(0));
        }
        assertEquals(List.of(), jobs());
        JsonNode listed = schedule("report", id);
        assertEquals(QUARTER_TO.toEpochMilli(), listed.get("LastExecutionTimestamp").asLong());
        assertTrue(listed.get("LastExecutionError").asText().contains("Image"), listed::toString);
        assertNull(listed.get("LastExecutionId"));
        assertTrue(runRecords().get(id).get("Error").asText().contains("registry.local/report:2"));
        assertEquals(1, metrics().count("slimjobs_schedule_misses_total", "job_name", "report"),
                "an occurrence refused for good is missed");
        assertEquals(0, metrics().count("slimjobs_schedule_fires_total", "job_name", "report"));

        // only that occurrence was given up: allowed again, the next one fires
        definitions.replace(JobsConfigurationLoader.parse(new JobsConfigurationLoader.Source("test", CONFIGURED)));
        clock.set(QUARTER_TO.plus(Duration.ofDays(1)));
        tick();
        // (the configured hourly schedule catches up too)
        assertEquals(List.of(key(id, QUARTER_TO.plus(Duration.ofDays(1)))),
                firedJobs().keySet().stream().filter(key -> key.contains(id)).toList());
    }

    @Test
    void should_catch_up_only_the_latest_missed_occurrence_once_and_nothing_for_a_schedule_created_after_it() {
        String hourly = createSchedule("report", "{\"Schedule\": \"0 * * * *\", \"Args\": [\"api\"]}");
        // no tick from 00:30 until 05:20: five hours of occurrences missed; a schedule is created at 05:10
        clock.set(Instant.parse("2030-01-01T05:10:00Z"));
        String later = createSchedule("report", "{\"Schedule\": \"0 * * * *\", \"Args\": [\"later\"]}");
        clock.set(Instant.parse("2030-01-01T05:20:00Z"));
        Instant missed = Instant.parse("2030-01-01T05:00:00Z");

        try (LogCapture log = LogCapture.start()) {
            tick();
            tick();

            for (String id : List.of(configuredId(), hourly)) {
                List<String> catchUps = log.lines().stream().filter(line -> line.contains("INFO")
                        && line.contains("catches up") && line.contains(id) && line.contains("report")
                        && line.contains(missed.toString())).toList();
                assertEquals(1, catchUps.size(), () -> "one catch-up of " + id + " logged: " + log.lines());
            }
            assertFalse(log.lines().stream().anyMatch(line -> line.contains(later) && line.contains("catches up")));
        }
        assertEquals(Set.of(key(configuredId(), missed), key(hourly, missed)), firedJobs().keySet());
        MetricSamples metrics = metrics();
        assertEquals(2, metrics.count("slimjobs_schedule_fires_total", "job_name", "report"));
        assertEquals(2, metrics.count("slimjobs_schedule_misses_total", "job_name", "report"),
                "each catch-up is a miss: its occurrence fired late");
    }

    @Test
    void should_not_fire_a_new_schedule_for_an_occurrence_before_it_existed() {
        clock.set(Instant.parse("2030-01-01T00:45:30Z"));
        String id = createSchedule("report", "{\"Schedule\": \"45 0 * * *\"}");

        tick();

        assertEquals(Map.of(), firedJobs());
        assertNull(schedule("report", id).get("LastExecutionTimestamp"));
    }

    @Test
    void should_remove_the_run_records_of_schedules_that_no_longer_exist() {
        String id = createSchedule("report", "{\"Schedule\": \"45 0 * * *\"}");
        clock.set(QUARTER_TO);
        tick();
        assertTrue(runRecords().containsKey(id));

        assertEquals(204, delete("/job-schedules/report/" + id).status());
        clock.set(QUARTER_TO.plusSeconds(60));
        tick();
        assertTrue(runRecords().containsKey(id), "kept a moment: a schedule may be missing only while it is read");
        clock.set(QUARTER_TO.plusSeconds(120));
        tick();

        assertEquals(Set.of(configuredId()), runRecords().keySet());
    }
}
