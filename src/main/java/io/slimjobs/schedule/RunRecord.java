package io.slimjobs.schedule;

import java.time.Instant;

/**
 * What the leader recorded of one schedule, in epoch milliseconds: since when the schedule exists for firing (its
 * creation, or when a leader first saw a configured one), and its last occurrence fired with the execution it made,
 * or why that fire was refused.
 */
public record RunRecord(Long since, Long occurrence, String executionId, Long firedAt, String error) {

    static RunRecord since(Instant since) {
        return new RunRecord(since.toEpochMilli(), null, null, null, null);
    }

    RunRecord fired(Instant occurrence, String executionId, Instant at) {
        return new RunRecord(since, occurrence.toEpochMilli(), executionId, at.toEpochMilli(), null);
    }

    RunRecord failed(Instant occurrence, String error, Instant at) {
        return new RunRecord(since, occurrence.toEpochMilli(), null, at.toEpochMilli(), error);
    }

    /** Occurrences only move forward: the later one is the newer record. */
    boolean isNewerThan(RunRecord other) {
        return occurrence != null && (other.occurrence == null || occurrence > other.occurrence);
    }
}
