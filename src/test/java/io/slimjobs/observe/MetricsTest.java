package io.slimjobs.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.MetricSamples;
import io.slimjobs.SlimJobsTestSupport;
import org.junit.jupiter.api.Test;

/** What `/metrics` tells Prometheus: the JVM, and each fact about executions as it happens. */
class MetricsTest extends SlimJobsTestSupport {

    private MetricSamples scrape() {
        Answer answer = get("/metrics");
        assertEquals(200, answer.status(), answer::toString);
        return MetricSamples.parse(answer.body());
    }

    @Test
    void should_answer_200_with_jvm_and_process_metrics_before_any_trigger() {
        Answer answer = get("/metrics");

        assertEquals(200, answer.status(), answer::toString);
        assertEquals("text/plain; version=0.0.4; charset=utf-8", answer.contentType());
        MetricSamples metrics = MetricSamples.parse(answer.body());
        for (String name : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                "system_cpu_count", "process_cpu_usage", "process_uptime_seconds", "process_files_open_files")) {
            assertTrue(metrics.names().contains(name), () -> name + " missing in " + metrics.names());
        }
        assertTrue(metrics.names().stream().anyMatch(name -> name.startsWith("jvm_gc_")), metrics.names()::toString);
    }
}
