package io.slimjobs.config;

import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The job definitions in force, keyed by lower-cased job name, always with a `default` entry that unknown
 * names fall back to, plus the schedules, each list from the configuration or from a CronJob.
 */
public final class JobsConfiguration {

    public static final String DEFAULT = "default";

    private final Map<String, JobDefinition> definitions;
    private final Map<String, List<ScheduleDefinition>> schedules;
    /** The job names whose schedules come from a CronJob's `SlimFaas/Schedules` annotation. */
    private final Set<String> cronJobSchedules;

    JobsConfiguration(Map<String, JobDefinition> definitions, Map<String, List<ScheduleDefinition>> schedules) {
        this(definitions, schedules, Set.of());
    }

    private JobsConfiguration(Map<String, JobDefinition> definitions, Map<String, List<ScheduleDefinition>> schedules,
                              Set<String> cronJobSchedules) {
        this.definitions = Collections.unmodifiableMap(new LinkedHashMap<>(definitions));
        this.schedules = Collections.unmodifiableMap(new LinkedHashMap<>(schedules));
        this.cronJobSchedules = Set.copyOf(cronJobSchedules);
    }

    /**
     * These definitions with those of CronJobs on top: each replaces the definition of its name, and its schedules
     * replace that name's when it gives any. The `Default` entry is never replaced, and a CronJob definition without
     * `Resources` is held to Default's, as a configured one is.
     */
    JobsConfiguration withCronJobs(Collection<CronJobDefinition> cronJobs) {
        Map<String, JobDefinition> merged = new LinkedHashMap<>(definitions);
        Map<String, List<ScheduleDefinition>> mergedSchedules = new LinkedHashMap<>(schedules);
        Set<String> fromCronJobs = new HashSet<>(cronJobSchedules);
        Resources defaultResources = definitions.get(DEFAULT).resources();
        for (CronJobDefinition cronJob : cronJobs) {
            if (cronJob.name().equals(DEFAULT)) {
                throw new IllegalArgumentException("the Default entry cannot come from a CronJob");
            }
            merged.put(cronJob.name(), cronJob.definition().withDefaults(defaultResources));
            if (cronJob.schedules() != null) {
                mergedSchedules.put(cronJob.name(), List.copyOf(cronJob.schedules()));
                fromCronJobs.add(cronJob.name());
            }
        }
        return new JobsConfiguration(merged, mergedSchedules, fromCronJobs);
    }

    /** The definition a job name runs under: its own, or `default` for names that are not configured. */
    public JobDefinition definitionFor(String jobName) {
        JobDefinition own = definitions.get(jobName);
        return own != null ? own : definitions.get(DEFAULT);
    }

    public Map<String, JobDefinition> definitions() {
        return definitions;
    }

    public Map<String, List<ScheduleDefinition>> schedules() {
        return schedules;
    }

    /** Where the schedules of a job name are defined. */
    public ScheduleSource scheduleSource(String jobName) {
        return cronJobSchedules.contains(jobName) ? ScheduleSource.CronJob : ScheduleSource.Configuration;
    }
}
