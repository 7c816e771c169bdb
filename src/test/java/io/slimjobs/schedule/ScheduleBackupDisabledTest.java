package io.slimjobs.schedule;

import static org.junit.jupiter.api.Assertions.assertNull;

import io.slimjobs.SlimJobsTestSupport;
import org.junit.jupiter.api.Test;

/** The whole application with the default settings: no backup directory. */
class ScheduleBackupDisabledTest extends SlimJobsTestSupport {

    @Test
    void should_back_nothing_up_and_restore_nothing_without_a_backup_directory() {
        assertNull(context.getRoute("schedule-backup"));
        assertNull(context.getRegistry().lookupByName(ScheduleBackupRoutes.BACKUP));
        assertNull(kube().configMaps().inNamespace(namespace).withName("slimjobs-schedules").get());
    }
}
