package io.slimjobs.schedule;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.slimjobs.config.JobOverrides;
import io.slimjobs.config.ScheduleSource;

/**
 * One schedule as the API shows it: the overrides that are set written flat beside `Schedule`, as SlimFaas does.
 * Times are epoch milliseconds; the `Last*` fields are left out until it fired, and `NextExecutionTimestamp` when it
 * never fires again.
 *
 * @param lastExecutionId    the execution its last occurrence made
 * @param lastExecutionError why its last occurrence was refused
 */
@JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
@JsonPropertyOrder({"Id", "Name", "Schedule", "TimeZone", "Overrides", "Source", "NextExecutionTimestamp",
        "LastExecutionTimestamp", "LastExecutionId", "LastExecutionError"})
public record ScheduleView(String id, String name, String schedule, String timeZone,
                           @JsonUnwrapped JobOverrides overrides, ScheduleSource source, Long nextExecutionTimestamp,
                           Long lastExecutionTimestamp, String lastExecutionId, String lastExecutionError) {
}
