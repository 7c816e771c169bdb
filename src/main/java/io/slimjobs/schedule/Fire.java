package io.slimjobs.schedule;

import java.time.Instant;

/**
 * One occurrence of a schedule to fire.
 *
 * @param catchUp whether the occurrence is from before the current minute: missed while no leader ticked
 */
public record Fire(Schedule schedule, Instant occurrence, boolean catchUp) {

    /** The trigger's idempotency key: one occurrence of one schedule makes one execution, whoever fires it. */
    public String idempotencyKey() {
        return "schedule:" + schedule.id() + "@" + occurrence.toEpochMilli();
    }
}
