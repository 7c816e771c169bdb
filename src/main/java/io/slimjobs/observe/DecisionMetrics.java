package io.slimjobs.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.slimjobs.kube.ExecutionStatus;

/**
 * The metrics of decisions about executions: releases with how long each waited, ends with how long each ran, and
 * deletions. Releases and ends are told on the leader only, so these are the leader's.
 * <p>
 * Dispatch latency measures the dispatcher, not the queue: from the moment a queued execution could go (the later of
 * its enqueue and the last slot its cap group freed, a Job of the group ending or a started one deleted) to its
 * release. Only the leader sees both moments; a new leader counts from the enqueue until it sees a slot freed.
 */
public final class DecisionMetrics implements Consumer<ExecutionDecision> {

    /** Seconds to a day: a queue may hold an execution for hours, a run may last as long. */
    private static final Duration[] LONG_BUCKETS = seconds(0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600,
            7200, 14400, 43200, 86400);
    /** Milliseconds to a minute: the time the dispatcher takes to act on a free slot. */
    private static final Duration[] SHORT_BUCKETS = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
            30, 60);

    private final MeterRegistry registry;
    private final UnaryOperator<String> capGroupOf;
    /** By cap group: when a slot of it was last freed. */
    private final Map<String, Instant> slotFreed = new ConcurrentHashMap<>();

    /** @param capGroupOf the cap group a job name counts against */
    public DecisionMetrics(MeterRegistry registry, UnaryOperator<String> capGroupOf) {
        this.registry = registry;
        this.capGroupOf = capGroupOf;
    }

    @Override
    public void accept(ExecutionDecision d) {
        switch (d.decision()) {
            case RELEASED -> released(d);
            case FINISHED -> finished(d);
            case DELETED -> deleted(d);
            case QUEUED, WAITING -> { }
        }
    }

    private void released(ExecutionDecision d) {
        Counter.builder("slimjobs.releases").description("Queued executions the leader released")
                .tag("job_name", d.jobName()).register(registry).increment();
        timer("slimjobs.queued", "Time executions spent queued, from their trigger to their release", LONG_BUCKETS)
                .tag("job_name", d.jobName()).register(registry).record(between(d.enqueuedAt(), d.at()));
        Instant freed = slotFreed.get(capGroupOf.apply(d.jobName()));
        Instant couldGo = freed != null && freed.isAfter(d.enqueuedAt()) ? freed : d.enqueuedAt();
        timer("slimjobs.dispatch.latency", "Time from the moment a queued execution could go (its enqueue, or a slot "
                + "of its cap group freed later) to its release", SHORT_BUCKETS)
                .register(registry).record(between(couldGo, d.at()));
    }

    private void finished(ExecutionDecision d) {
        String status = d.detail().toLowerCase(Locale.ROOT);
        Counter.builder("slimjobs.executions.finished").description("Executions whose Job succeeded or failed")
                .tag("job_name", d.jobName()).tag("status", status).register(registry).increment();
        if (d.startedAt() != null) {
            timer("slimjobs.run", "Time executions ran, from their start to their end", LONG_BUCKETS)
                    .tag("job_name", d.jobName()).tag("status", status).register(registry)
                    .record(between(d.startedAt(), d.endedAt()));
        }
        slotFreed.put(capGroupOf.apply(d.jobName()), d.at());
    }

    private void deleted(ExecutionDecision d) {
        Counter.builder("slimjobs.executions.deleted").description("Executions a caller deleted")
                .tag("job_name", d.jobName()).register(registry).increment();
        if (ExecutionStatus.valueOf(d.detail()).holdsSlot()) {
            slotFreed.put(capGroupOf.apply(d.jobName()), d.at());
        }
    }

    private static Timer.Builder timer(String name, String description, Duration[] buckets) {
        return Timer.builder(name).description(description).serviceLevelObjectives(buckets);
    }

    /** Never negative: the enqueue time was written by another replica's clock. */
    private static Duration between(Instant from, Instant to) {
        Duration duration = Duration.between(from, to);
        return duration.isNegative() ? Duration.ZERO : duration;
    }

    private static Duration[] seconds(double... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return durations;
    }
}
