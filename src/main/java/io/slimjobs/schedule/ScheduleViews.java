package io.slimjobs.schedule;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Schedules as the API shows them: `Id`, `Name`, `Schedule`, `TimeZone`, the overrides that are set (flat),
 * `Source`, `NextExecutionTimestamp` and, once fired, `LastExecutionTimestamp` (the occurrence) with
 * `LastExecutionId` (the execution it made) or `LastExecutionError` (why the fire was refused). Times are epoch ms.
 */
public final class ScheduleViews {

    private final ScheduleCatalog catalog;
    private final RunRecords runs;
    private final Clock clock;

    public ScheduleViews(ScheduleCatalog catalog, RunRecords runs, Clock clock) {
        this.catalog = catalog;
        this.runs = runs;
        this.clock = clock;
    }

    public List<ScheduleView> of(String jobName) {
        Instant now = clock.instant();
        return catalog.of(jobName).stream().map(schedule -> view(schedule, now)).toList();
    }

    private ScheduleView view(Schedule schedule, Instant now) {
        Optional<RunRecord> fired = runs.of(schedule.id()).filter(record -> record.occurrence() != null);
        return new ScheduleView(schedule.id(), schedule.jobName(), schedule.cron().expression(),
                schedule.cron().zone().getId(), schedule.definition().overrides(), schedule.source(),
                schedule.cron().nextAfter(now).map(Instant::toEpochMilli).orElse(null),
                fired.map(RunRecord::occurrence).orElse(null), fired.map(RunRecord::executionId).orElse(null),
                fired.map(RunRecord::error).orElse(null));
    }
}
