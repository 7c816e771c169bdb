package io.slimjobs.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job definitions in force, keyed by lower-cased job name, always with a `default` entry that unknown
 * names fall back to, plus the configured schedules.
 */
public final class JobsConfiguration {

    public static final String DEFAULT = "default";

    private final Map<String, JobDefinition> definitions;
    private final Map<String, List<ScheduleDefinition>> schedules;

    JobsConfiguration(Map<String, JobDefinition> definitions, Map<String, List<ScheduleDefinition>> schedules) {
        this.definitions = Collections.unmodifiableMap(new LinkedHashMap<>(definitions));
        this.schedules = Collections.unmodifiableMap(new LinkedHashMap<>(schedules));
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
        return ScheduleSource.Configuration;
    }
}
