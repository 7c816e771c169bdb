package io.slimjobs.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.kube.Labels;
import org.junit.jupiter.api.Test;

/** In real time, on the system clock: a schedule fires through the whole pipeline within a second of its minute. */
class ScheduleRealTimeTest extends SlimJobsTestSupport {

    @Test
    void should_fire_an_every_minute_schedule_within_a_second_of_its_minute() {
        // the trigger pipeline warmed up, as in a running service
        trigger("fibonacci", "");
        Answer created = post("/job-schedules/fibonacci", "{\"Schedule\": \"* * * * *\", \"Args\": [\"every-minute\"]}");
        assertEquals(201, created.status(), created::toString);
        String id = created.json().get("Id").asText();

        awaitUntil("the schedule fired", Duration.ofSeconds(75), () -> fired(id).isPresent());

        Job job = fired(id).orElseThrow();
        String key = job.getMetadata().getAnnotations().get(Labels.IDEMPOTENCY_KEY);
        Instant occurrence = Instant.ofEpochMilli(Long.parseLong(key.substring(key.indexOf('@') + 1)));
        Instant enqueued = Instant.parse(job.getMetadata().getAnnotations().get(Labels.ENQUEUED_AT));
        assertEquals(occurrence.truncatedTo(ChronoUnit.MINUTES), occurrence, "an occurrence is a whole minute");
        Duration late = Duration.between(occurrence, enqueued);
        assertTrue(!late.isNegative() && late.compareTo(Duration.ofSeconds(1)) < 0,
                () -> "queued " + late.toMillis() + " ms after its minute " + occurrence);
        // the schedule's trigger made the Job; this test sees it in the API server, maybe before the cache does
        String executionId = job.getMetadata().getLabels().get(Labels.ID);
        awaitUntil("the fired execution listed", () -> isListed("fibonacci", executionId));
    }

    private Optional<Job> fired(String scheduleId) {
        return jobs().stream().filter(job -> job.getMetadata().getAnnotations().getOrDefault(Labels.IDEMPOTENCY_KEY, "")
                .startsWith("schedule:" + scheduleId + "@")).findFirst();
    }
}
