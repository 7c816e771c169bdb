package io.slimjobs.observe;

import java.time.Instant;

import io.slimjobs.kube.ExecutionDetail;
import io.slimjobs.kube.ExecutionView;

/**
 * One decision about one execution, with what logs, metrics and Kubernetes Events tell of it.
 *
 * @param objectName the Job's object name
 * @param detail     queued: the door it came through; waiting: why; finished: Succeeded or Failed; deleted: its status
 *                   then; released: null
 * @param at         when it was decided or seen
 * @param enqueuedAt when it was queued
 * @param startedAt  when its Job started (released, finished); null otherwise
 * @param endedAt    when its Job ended (finished); null otherwise
 */
public record ExecutionDecision(Decision decision, String jobName, String executionId, String objectName,
                                String detail, Instant at, Instant enqueuedAt, Instant startedAt, Instant endedAt) {

    public static ExecutionDecision queued(String jobName, String executionId, String objectName, String door,
                                           Instant enqueuedAt) {
        return new ExecutionDecision(Decision.QUEUED, jobName, executionId, objectName, door, enqueuedAt, enqueuedAt,
                null, null);
    }

    public static ExecutionDecision released(ExecutionView execution, Instant at) {
        return of(Decision.RELEASED, execution, null, at, at, null);
    }

    public static ExecutionDecision waiting(ExecutionView execution, Instant at) {
        return of(Decision.WAITING, execution, execution.reason(), at, null, null);
    }

    public static ExecutionDecision finished(ExecutionDetail ended, Instant at) {
        ExecutionView execution = ended.execution();
        return of(Decision.FINISHED, execution, execution.status().name(), at, epochMillis(execution.startTimestamp()),
                ended.endTimestamp() < 0 ? at : Instant.ofEpochMilli(ended.endTimestamp()));
    }

    public static ExecutionDecision deleted(ExecutionView execution, Instant at) {
        return of(Decision.DELETED, execution, execution.status().name(), at, epochMillis(execution.startTimestamp()),
                null);
    }

    private static ExecutionDecision of(Decision decision, ExecutionView execution, String detail, Instant at,
                                        Instant startedAt, Instant endedAt) {
        return new ExecutionDecision(decision, execution.jobName(), execution.id(), execution.name(), detail, at,
                execution.enqueuedAt(), startedAt, endedAt);
    }

    private static Instant epochMillis(long millis) {
        return millis < 0 ? null : Instant.ofEpochMilli(millis);
    }
}
