package io.slimjobs.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.slimjobs.MetricSamples;
import org.junit.jupiter.api.Test;

/** How dispatch latency is measured: from the moment a queued execution could go to its release. */
class DecisionMetricsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** `a` and `b` share one cap group, `solo` has its own. */
    private final DecisionMetrics metrics = new DecisionMetrics(registry, name -> name.equals("solo") ? "solo" : "ab");

    private static ExecutionDecision decision(Decision decision, String jobName, String detail, Instant at,
                                              Instant enqueuedAt, Instant startedAt, Instant endedAt) {
        return new ExecutionDecision(decision, jobName, "id-" + at.toEpochMilli(), jobName + "-x", detail, at,
                enqueuedAt, startedAt, endedAt);
    }

    private void released(String jobName, Instant enqueuedAt, Instant at) {
        metrics.accept(decision(Decision.RELEASED, jobName, null, at, enqueuedAt, at, null));
    }

    private void finished(String jobName, Instant at) {
        metrics.accept(decision(Decision.FINISHED, jobName, "Succeeded", at, T0, T0, at));
    }

    private double latencySum() {
        return MetricSamples.parse(registry.scrape()).count("slimjobs_dispatch_latency_seconds_sum");
    }

    @Test
    void should_measure_from_the_enqueue_when_a_slot_was_free() {
        released("a", T0, T0.plusMillis(200));

        assertEquals(0.2, latencySum(), 1e-9);
    }

    @Test
    void should_measure_from_the_last_slot_freed_in_the_cap_group_when_the_execution_waited_for_one() {
        finished("b", T0.plusSeconds(60));
        released("a", T0, T0.plusSeconds(60).plusMillis(300));

        assertEquals(0.3, latencySum(), 1e-9);
        assertEquals(60.3, MetricSamples.parse(registry.scrape()).count("slimjobs_queued_seconds_sum", "job_name", "a"),
                1e-9);
    }

    @Test
    void should_not_count_a_slot_freed_in_another_cap_group() {
        finished("solo", T0.plusSeconds(60));
        released("a", T0, T0.plusSeconds(61));

        assertEquals(61, latencySum(), 1e-9);
    }

    @Test
    void should_count_a_deleted_running_execution_as_a_freed_slot_and_a_deleted_queued_one_not() {
        metrics.accept(decision(Decision.DELETED, "b", "Queued", T0.plusSeconds(10), T0, null, null));
        metrics.accept(decision(Decision.DELETED, "b", "Running", T0.plusSeconds(20), T0, T0, null));
        released("a", T0, T0.plusSeconds(21));

        assertEquals(1, latencySum(), 1e-9);
        assertEquals(2, MetricSamples.parse(registry.scrape()).count("slimjobs_executions_deleted_total", "job_name",
                "b"));
    }
}
