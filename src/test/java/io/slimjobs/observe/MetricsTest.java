package io.slimjobs.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.MetricSamples;
import io.slimjobs.SlimJobsTestSupport;
import org.junit.jupiter.api.Test;

/** What `/metrics` tells Prometheus: the JVM, and each fact about executions as it happens. */
class MetricsTest extends SlimJobsTestSupport {

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

    private double count(String name, String... labels) {
        return metrics().count(name, labels);
    }


    @Test
    void should_count_a_release_with_its_queued_time_and_dispatch_latency() {
        String id = trigger("fibonacci", "");
        awaitUntil("released", () -> count("slimjobs_releases_total", "job_name", "fibonacci") == 1);

        MetricSamples metrics = metrics();
        assertEquals(1, metrics.count("slimjobs_queued_seconds_count", "job_name", "fibonacci"));
        assertEquals(1, metrics.count("slimjobs_queued_seconds_bucket", "job_name", "fibonacci", "le", "+Inf"));
        assertEquals(1, metrics.count("slimjobs_dispatch_latency_seconds_count"));
        assertTrue(metrics.value("slimjobs_queued_seconds_bucket", "job_name", "fibonacci", "le", "3600.0")
                .isPresent(), "buckets reach hours");
        assertEquals(0, metrics.count("slimjobs_releases_total", "job_name", "secret-job"));
        assertTrue(statusOf("fibonacci", id).matches("Pending|Running"));
    }

    @Test
    void should_show_queue_depth_and_running_executions_per_job_as_they_rise_and_fall() {
        // fibonacci runs two at once: the third waits
        List<String> ids = List.of(trigger("fibonacci", ""), trigger("fibonacci", ""), trigger("fibonacci", ""));
        String adHoc = trigger("ad-hoc", "");
        awaitUntil("two running, one queued", () -> {
            MetricSamples metrics = metrics();
            return metrics.count("slimjobs_running_executions", "job_name", "fibonacci") == 2
                    && metrics.count("slimjobs_queue_depth", "job_name", "fibonacci") == 1
                    && metrics.count("slimjobs_running_executions", "job_name", "ad-hoc") == 1;
        });
        MetricSamples metrics = metrics();
        assertEquals(Optional.of(0.0), metrics.value("slimjobs_queue_depth", "job_name", "secret-job"),
                "a defined job shows 0 when idle");
        assertEquals(Optional.of(0.0), metrics.value("slimjobs_queue_depth", "job_name", "ad-hoc"));

        for (String id : ids) {
            awaitUntil("started", () -> statusOf("fibonacci", id).equals("Running"));
            kubelet().succeed(jobOf(id).getMetadata().getName());
        }
        kubelet().succeed(jobOf(adHoc).getMetadata().getName());

        awaitUntil("all done", () -> {
            MetricSamples done = metrics();
            return done.count("slimjobs_running_executions", "job_name", "fibonacci") == 0
                    && done.count("slimjobs_queue_depth", "job_name", "fibonacci") == 0;
        });
        awaitUntil("a job name that is not defined and has nothing left disappears",
                () -> metrics().matching("slimjobs_queue_depth", "job_name", "ad-hoc").isEmpty()
                        && metrics().matching("slimjobs_running_executions", "job_name", "ad-hoc").isEmpty());
    }

    @Test
    void should_count_finished_executions_by_status_with_their_run_time() {
        String succeeds = trigger("fibonacci", "");
        String fails = trigger("fibonacci", "{\"BackoffLimit\": 0}");
        awaitUntil("both running", () -> statusOf("fibonacci", succeeds).equals("Running")
                && statusOf("fibonacci", fails).equals("Running"));

        kubelet().succeed(jobOf(succeeds).getMetadata().getName());
        kubelet().fail(jobOf(fails).getMetadata().getName());

        awaitUntil("both counted", () -> {
            MetricSamples metrics = metrics();
            return metrics.count("slimjobs_executions_finished_total", "job_name", "fibonacci", "status",
                    "succeeded") == 1
                    && metrics.count("slimjobs_executions_finished_total", "job_name", "fibonacci", "status",
                    "failed") == 1;
        });
        MetricSamples metrics = metrics();
        assertEquals(1, metrics.count("slimjobs_run_seconds_count", "job_name", "fibonacci", "status", "succeeded"));
        assertEquals(1, metrics.count("slimjobs_run_seconds_count", "job_name", "fibonacci", "status", "failed"));
    }

    @Test
    void should_count_deleted_executions() {
        String id = trigger("fibonacci", "");

        assertEquals(200, delete("/job/fibonacci/" + id).status());

        assertEquals(1, count("slimjobs_executions_deleted_total", "job_name", "fibonacci"));
    }
}
