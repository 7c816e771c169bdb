package io.slimjobs.schedule;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slimjobs.Json;

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

    public List<ObjectNode> of(String jobName) {
        Instant now = clock.instant();
        return catalog.of(jobName).stream().map(schedule -> view(schedule, now)).toList();
    }

    private ObjectNode view(Schedule schedule, Instant now) {
        ObjectNode view = Json.MAPPER.createObjectNode();
        view.put("Id", schedule.id());
        view.put("Name", schedule.jobName());
        view.put("Schedule", schedule.cron().expression());
        view.put("TimeZone", schedule.cron().zone().getId());
        view.setAll((ObjectNode) Json.MAPPER.valueToTree(schedule.definition().overrides()));
        view.put("Source", schedule.source().name());
        schedule.cron().nextAfter(now).ifPresent(next -> view.put("NextExecutionTimestamp", next.toEpochMilli()));
        runs.of(schedule.id()).filter(record -> record.occurrence() != null).ifPresent(record -> {
            view.put("LastExecutionTimestamp", record.occurrence());
            if (record.executionId() != null) {
                view.put("LastExecutionId", record.executionId());
            }
            if (record.error() != null) {
                view.put("LastExecutionError", record.error());
            }
        });
        return view;
    }
}
