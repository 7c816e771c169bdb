package io.slimjobs.schedule;

import org.apache.camel.builder.RouteBuilder;

/**
 * The backup of the dynamic schedules, checked periodically on every replica, since each may have a volume of its
 * own. There is no route when no backup directory is set.
 */
public class ScheduleBackupRoutes extends RouteBuilder {

    /** The {@link ScheduleBackup} in the registry, bound only when a backup directory is set. */
    public static final String BACKUP = "scheduleBackup";

    @Override
    public void configure() {
        ScheduleBackup backup = getContext().getRegistry().lookupByNameAndType(BACKUP, ScheduleBackup.class);
        if (backup == null) {
            return;
        }
        from("timer:schedule-backup?period=" + backup.interval().toMillis()).routeId("schedule-backup")
                .bean(BACKUP, "check");
    }
}
