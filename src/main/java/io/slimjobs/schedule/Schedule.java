package io.slimjobs.schedule;

import java.time.Instant;

import io.slimjobs.config.ScheduleDefinition;
import io.slimjobs.config.ScheduleSource;

/**
 * One schedule in force, from any source, ready to fire.
 *
 * @param jobName   the name it fires under, which falls back to `Default` like any trigger's
 * @param createdAt when it was created through the API; null for configured and CronJob schedules, whose "since"
 *                  is when a leader first saw them
 */
public record Schedule(String id, String jobName, ScheduleSource source, ScheduleDefinition definition, Cron cron,
                       Instant createdAt) {
}
