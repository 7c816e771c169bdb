package io.slimjobs.kube;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One execution as the API shows it (SlimFaas' field order), read from the informer caches. Timestamps are
 * epoch milliseconds; `PositionInQueue` is 1-based for queued executions and -1 otherwise; `Reason` says in a
 * sentence why an execution failed, or which dependency a queued one waits for, and is left out when there is
 * nothing to say: a queued execution without one starts as soon as its cap group has a free slot.
 *
 * @param jobName        the job name it runs under (its {@code slimjobs.io/job} label)
 * @param imagePullStall the pod waiting for its image, for an execution whose image cannot be pulled and that is
 *                       not already being failed for it
 * @param dependsOn      the Deployments and StatefulSets it needs (its effective DependsOn)
 */
@JsonPropertyOrder({"Name", "Status", "Id", "PositionInQueue", "InQueueTimestamp", "StartTimestamp", "Reason"})
@JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
public record ExecutionView(String name, ExecutionStatus status, String id, int positionInQueue,
                            long inQueueTimestamp, long startTimestamp,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
                            @JsonIgnore Instant enqueuedAt, @JsonIgnore ImagePullStall imagePullStall,
                            @JsonIgnore List<String> dependsOn, @JsonIgnore String jobName) {

    ExecutionView atPosition(int position) {
        return new ExecutionView(name, status, id, position, inQueueTimestamp, startTimestamp, reason, enqueuedAt,
                imagePullStall, dependsOn, jobName);
    }
}
