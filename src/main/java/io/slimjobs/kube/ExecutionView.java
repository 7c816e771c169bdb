package io.slimjobs.kube;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One execution as the API shows it (SlimFaas' field order), read from the informer caches. Timestamps are
 * epoch milliseconds; `PositionInQueue` is 1-based for queued executions and -1 otherwise.
 */
@JsonPropertyOrder({"Name", "Status", "Id", "PositionInQueue", "InQueueTimestamp", "StartTimestamp"})
public record ExecutionView(String name, ExecutionStatus status, String id, int positionInQueue,
                            long inQueueTimestamp, long startTimestamp,
                            @JsonIgnore Instant enqueuedAt) {

    ExecutionView atPosition(int position) {
        return new ExecutionView(name, status, id, position, inQueueTimestamp, startTimestamp, enqueuedAt);
    }
}
