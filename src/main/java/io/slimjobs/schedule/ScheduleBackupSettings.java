package io.slimjobs.schedule;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the dynamic schedules are backed up and how often the backup is checked: SlimFaas' variables
 * `SlimData__BackupDirectory` and `SlimData__BackupIntervalSeconds` when set, else SlimJobs' properties.
 */
public record ScheduleBackupSettings(Path directory, Duration interval) {

    public static final String DIRECTORY_VARIABLE = "SlimData__BackupDirectory";
    public static final String INTERVAL_VARIABLE = "SlimData__BackupIntervalSeconds";
    private static final String INTERVAL_PROPERTY = "slimjobs.schedules.backup-interval";

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleBackupSettings.class);

    /**
     * The settings, or none when no directory is set: no backup. SlimFaas' variables are read here by their exact
     * names, since Camel's `{{env:...}}` looks a name up in upper case only and would miss them.
     *
     * @throws IllegalStateException an interval that is not a whole number of seconds, or an impossible directory
     */
    public static Optional<ScheduleBackupSettings> resolve(Map<String, String> env, String directoryProperty,
                                                           String intervalProperty) {
        String directory = isSet(env.get(DIRECTORY_VARIABLE)) ? env.get(DIRECTORY_VARIABLE) : directoryProperty;
        if (!isSet(directory)) {
            return Optional.empty();
        }
        boolean intervalFromEnv = isSet(env.get(INTERVAL_VARIABLE));
        String interval = intervalFromEnv ? env.get(INTERVAL_VARIABLE) : intervalProperty;
        String intervalSource = intervalFromEnv ? "environment variable " + INTERVAL_VARIABLE : INTERVAL_PROPERTY;
        int seconds;
        try {
            seconds = Integer.parseInt(interval.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(intervalSource + " must be a whole number of seconds (at most "
                    + Integer.MAX_VALUE + "), not \"" + interval + "\"");
        }
        if (seconds <= 0) {
            LOG.warn("{} is {}: the schedule backup is checked every second, as SlimFaas does", intervalSource,
                    seconds);
            seconds = 1;
        }
        try {
            return Optional.of(new ScheduleBackupSettings(Path.of(directory.trim()), Duration.ofSeconds(seconds)));
        } catch (InvalidPathException e) {
            throw new IllegalStateException("the schedule backup directory \"" + directory + "\" is not a possible "
                    + "path: " + e.getMessage());
        }
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
