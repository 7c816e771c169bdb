package io.slimjobs.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.kube.Labels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DispatcherTest extends SlimJobsTestSupport {

    /** Watches the API server the way an operator would: who was released, in which order, how many at once. */
    private final List<String> releaseOrder = new CopyOnWriteArrayList<>();
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    private final AtomicInteger mostActiveAtOnce = new AtomicInteger();
    private SharedIndexInformer<Job> observer;

    @Override
    protected String jobsConfiguration() {
        return """
                {"Configurations": {
                  "pair": {"Image": "busybox:1.36", "Visibility": "Public", "NumberParallelJob": 2, "BackoffLimit": 0},
                  "single": {"Image": "busybox:1.36", "Visibility": "Public", "NumberParallelJob": 1}
                }}
                """;
    }

    @BeforeEach
    void observe() {
        observer = kube().batch().v1().jobs().inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Job job) {
                record(job);
            }

            @Override
            public void onUpdate(Job before, Job after) {
                record(after);
            }

            @Override
            public void onDelete(Job job, boolean finalStateUnknown) {
                active.remove(job.getMetadata().getName());
            }
        });
    }

    @AfterEach
    void stopObserving() {
        observer.close();
    }

    private synchronized void record(Job job) {
        String name = job.getMetadata().getName();
        boolean released = Boolean.FALSE.equals(job.getSpec().getSuspend());
        if (released && !releaseOrder.contains(job.getMetadata().getLabels().get(Labels.ID))) {
            releaseOrder.add(job.getMetadata().getLabels().get(Labels.ID));
        }
        if (released && !finished(job)) {
            active.add(name);
        } else {
            active.remove(name);
        }
        mostActiveAtOnce.accumulateAndGet(active.size(), Math::max);
    }

    private static boolean finished(Job job) {
        return job.getStatus() != null && job.getStatus().getConditions() != null
                && job.getStatus().getConditions().stream().anyMatch(c -> "True".equals(c.getStatus())
                        && ("Complete".equals(c.getType()) || "Failed".equals(c.getType())));
    }

    private String jobName(String executionId) {
        return jobOf(executionId).getMetadata().getName();
    }

    @Test
    void should_never_run_more_than_NumberParallelJob_while_triggers_and_completions_interleave() {
        Random random = new Random(42);
        List<String> waiting = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waiting.add(trigger("pair", ""));
        }
        int triggered = 4;
        List<String> done = new ArrayList<>();
        while (done.size() < 12) {
            awaitUntil("two running, or all that are left", () -> active.size() == Math.min(2, waitingCount(done)));
            String running = active.stream().sorted().findFirst().orElseThrow();
            if (random.nextBoolean()) {
                kubelet().succeed(running);
            } else {
                kubelet().fail(running);
            }
            done.add(running);
            awaitUntil(running + " finished", () -> !active.contains(running));
            if (triggered < 12) {
                waiting.add(trigger("pair", ""));
                triggered++;
            }
        }
        assertEquals(2, mostActiveAtOnce.get(), "at most NumberParallelJob executions at any moment");
        assertEquals(12, releaseOrder.size());
    }

    private int waitingCount(List<String> done) {
        return (int) jobs().stream().filter(job -> !done.contains(job.getMetadata().getName())).count();
    }

    @Test
    void should_release_queued_executions_in_the_order_they_were_triggered() {
        List<String> triggered = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            triggered.add(trigger("single", "{\"Args\": [\"" + i + "\"]}"));
        }
        for (int i = 0; i < 5; i++) {
            int released = i + 1;
            awaitUntil(released + " released", () -> releaseOrder.size() == released);
            kubelet().succeed(jobName(releaseOrder.get(i)));
        }
        assertEquals(triggered, releaseOrder);
        assertEquals(1, mostActiveAtOnce.get());
    }

    @Test
    void should_free_the_slot_when_an_execution_finishes_although_its_job_is_kept() {
        String first = trigger("single", "");
        String second = trigger("single", "");
        awaitUntil("first released", () -> releaseOrder.equals(List.of(first)));
        assertEquals("Queued", statusOf("single", second));
        assertEquals(1, get("/job/single").json().get(1).get("PositionInQueue").asInt());

        kubelet().succeed(jobName(first));

        awaitUntil("second released", () -> releaseOrder.equals(List.of(first, second)));
        assertEquals("Succeeded", statusOf("single", first));
        assertTrue(jobs().stream().anyMatch(job -> job.getMetadata().getLabels().get(Labels.ID).equals(first)),
                "the finished Job stays for its TTL");
    }

    @Test
    void should_not_hold_a_slot_for_an_execution_that_cannot_pull_its_image() {
        String broken = trigger("single", "");
        String next = trigger("single", "");
        awaitUntil("first released", () -> releaseOrder.equals(List.of(broken)));

        kubelet().imagePullError(jobName(broken));

        awaitUntil("next released", () -> releaseOrder.equals(List.of(broken, next)));
        assertEquals("ImagePullBackOff", statusOf("single", broken));
    }

    @Test
    void should_release_the_next_execution_when_a_running_one_is_deleted() {
        String first = trigger("single", "");
        String second = trigger("single", "");
        awaitUntil("first running", () -> statusOf("single", first).equals("Running"));

        assertEquals(200, delete("/job/single/" + first).status());

        awaitUntil("second released", () -> releaseOrder.equals(List.of(first, second)));
        awaitUntil("first gone", () -> statusOf("single", first).equals("absent"));
    }

    @Test
    void should_count_slots_per_job_name() {
        Map<String, String> ids = Map.of("single", trigger("single", ""), "pair", trigger("pair", ""));
        awaitUntil("one of each released", () -> releaseOrder.containsAll(ids.values()));
    }
}
