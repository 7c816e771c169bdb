package io.slimjobs.config;

import java.util.List;

/**
 * A job defined by a CronJob of the namespace: its name (the CronJob's, lower-cased), its definition as read (unset
 * fields filled when it is merged, `Resources` from the `Default` entry) and its schedules; {@code schedules} is
 * {@code null} when the CronJob has no `SlimFaas/Schedules` annotation, so that the configured ones of that name
 * stay.
 */
public record CronJobDefinition(String name, JobDefinition definition, List<ScheduleDefinition> schedules) {
}
