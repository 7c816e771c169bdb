package io.slimjobs.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.slimjobs.config.Resources;
import io.slimjobs.config.Visibility;
import io.slimjobs.kube.ExecutionView;
import io.slimjobs.schedule.ScheduleView;

/**
 * One definition as `GET /jobs/status` shows it: what it allows, its schedules of every source, and its executions
 * not finished (`RunningJobs`, queued ones included). A setting the definition leaves unset is written as null.
 */
@JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record JobStatus(String name, Visibility visibility, String image, List<String> imagesWhitelist,
                        Integer numberParallelJob, Resources resources, List<String> dependsOn,
                        List<ScheduleView> schedules, List<ExecutionView> runningJobs) {
}
