package io.slimjobs.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ScheduleBackupSettingsTest {

    @Test
    void should_take_slimfaas_variables_before_the_properties() {
        assertEquals(Optional.of(new ScheduleBackupSettings(Path.of("/backup"), Duration.ofSeconds(30))),
                ScheduleBackupSettings.resolve(Map.of("SlimData__BackupDirectory", "/backup",
                        "SlimData__BackupIntervalSeconds", "30"), "/elsewhere", "60"));
    }

    @Test
    void should_take_the_properties_when_the_variables_are_not_set() {
        assertEquals(Optional.of(new ScheduleBackupSettings(Path.of("/elsewhere"), Duration.ofSeconds(60))),
                ScheduleBackupSettings.resolve(Map.of("SlimData__BackupDirectory", " "), "/elsewhere", "60"));
    }

    @Test
    void should_back_nothing_up_without_a_directory() {
        assertEquals(Optional.empty(), ScheduleBackupSettings.resolve(Map.of(), "", "60"));
        assertEquals(Optional.empty(), ScheduleBackupSettings.resolve(Map.of("SlimData__BackupDirectory", ""), " ",
                "not read when there is no backup"));
    }

    @Test
    void should_check_every_second_for_an_interval_of_zero_or_less_as_slimfaas_does() {
        assertEquals(Duration.ofSeconds(1), ScheduleBackupSettings.resolve(
                Map.of("SlimData__BackupIntervalSeconds", "0"), "/backup", "60").orElseThrow().interval());
        assertEquals(Duration.ofSeconds(1), ScheduleBackupSettings.resolve(Map.of(), "/backup", "-5").orElseThrow()
                .interval());
    }

    @Test
    void should_refuse_an_interval_that_is_not_a_whole_number_of_seconds_naming_where_it_was_set() {
        IllegalStateException fromEnv = assertThrows(IllegalStateException.class, () -> ScheduleBackupSettings.resolve(
                Map.of("SlimData__BackupIntervalSeconds", "1m"), "/backup", "60"));
        assertEquals("environment variable SlimData__BackupIntervalSeconds must be a whole number of seconds "
                + "(at most 2147483647), not \"1m\"", fromEnv.getMessage());
        IllegalStateException fromProperty = assertThrows(IllegalStateException.class,
                () -> ScheduleBackupSettings.resolve(Map.of(), "/backup", "99999999999"));
        assertEquals("slimjobs.schedules.backup-interval must be a whole number of seconds (at most 2147483647), "
                + "not \"99999999999\"",
                fromProperty.getMessage());
    }

    @Test
    void should_refuse_a_directory_that_cannot_be_a_path() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> ScheduleBackupSettings.resolve(Map.of("SlimData__BackupDirectory", "/back\0up"), "", "60"));
        assertTrue(refused.getMessage().startsWith(
                "the schedule backup directory \"/back\0up\" is not a possible path"), refused.getMessage());
    }
}
