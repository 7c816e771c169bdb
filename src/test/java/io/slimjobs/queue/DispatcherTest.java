package io.slimjobs.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.slimjobs.kube.Labels;
import org.junit.jupiter.api.Test;

class DispatcherTest extends ReleasesObservedTestSupport {

    private static final List<String> CONFIGURED = List.of("pair", "single", "marker");

    @Override
    protected String jobsConfiguration() {
        return """
                {"Configurations": {
                  "pair": {"Image": "busybox:1.36", "Visibility": "Public", "NumberParallelJob": 2, "BackoffLimit": 0},
                  "single": {"Image": "busybox:1.36", "ImagesWhitelist": ["busybox:*"], "Visibility": "Public",
                             "NumberParallelJob": 1},
                  "marker": {"Image": "busybox:1.36", "Visibility": "Public", "NumberParallelJob": 100},
                  "Default": {"Image": "busybox:1.36", "Visibility": "Public", "NumberParallelJob": 1}
                }}
                """;
    }

    @Override
    protected UnaryOperator<String> observedGroups() {
        return name -> CONFIGURED.contains(name) ? name : "default";
    }

    private String jobName(String executionId) {
        return jobOf(executionId).getMetadata().getName();
    }

    private List<String> releasedOf(List<String> ids) {
        return observer.releaseOrder().stream().filter(ids::contains).toList();
    }

    @Test
    void should_never_run_more_than_NumberParallelJob_while_triggers_and_completions_interleave() {
        Random random = new Random(42);
        List<String> triggered = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            triggered.add(trigger("pair", ""));
        }
        List<String> done = new ArrayList<>();
        while (done.size() < 12) {
            int left = triggered.size() - done.size();
            awaitUntil("two running, or all that are left", () -> observer.active("pair").size() == Math.min(2, left));
            String running = observer.active("pair").stream().sorted().findFirst().orElseThrow();
            if (random.nextBoolean()) {
                kubelet().succeed(jobName(running));
            } else {
                kubelet().fail(jobName(running));
            }
            done.add(running);
            awaitUntil(running + " finished", () -> !observer.active("pair").contains(running));
            if (triggered.size() < 12) {
                triggered.add(trigger("pair", ""));
            }
        }
        assertEquals(2, observer.mostActiveAtOnce("pair"), "at most NumberParallelJob executions at any moment");
        assertEquals(12, releasedOf(triggered).size());
    }

    @Test
    void should_never_exceed_the_cap_in_a_burst_with_completions_interleaved_sampled_from_the_api() throws Exception {
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger mostSampled = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(5);
        try {
            Future<?> sampler = threads.submit(() -> {
                while (sampling.get()) {
                    int active = (int) jobs().stream().filter(job -> Boolean.FALSE.equals(job.getSpec().getSuspend())
                            && !ReleaseObserver.finished(job)).count();
                    mostSampled.accumulateAndGet(active, Math::max);
                }
            });
            List<Future<String>> burst = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                burst.add(threads.submit(() -> trigger("pair", "")));
            }
            List<String> triggered = new ArrayList<>();
            for (Future<String> id : burst) {
                triggered.add(id.get());
            }
            for (int done = 0; done < 8; done++) {
                awaitUntil("one running", () -> !observer.active("pair").isEmpty());
                String running = observer.active("pair").iterator().next();
                awaitUntil(running + " has a pod", () -> kubelet().livePod(jobName(running)).isPresent());
                kubelet().succeed(jobName(running));
                awaitUntil(running + " finished", () -> !observer.active("pair").contains(running));
            }
            sampling.set(false);
            sampler.get();
            assertEquals(8, releasedOf(triggered).size());
            assertTrue(mostSampled.get() <= 2, "sampled at most 2 active, saw " + mostSampled.get());
            assertEquals(2, observer.mostActiveAtOnce("pair"));
        } finally {
            sampling.set(false);
            threads.shutdownNow();
        }
    }

    @Test
    void should_release_queued_executions_in_the_order_they_were_triggered() {
        List<String> triggered = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            triggered.add(trigger("single", "{\"Args\": [\"" + i + "\"]}"));
        }
        for (int i = 0; i < 5; i++) {
            int released = i + 1;
            awaitUntil(released + " released", () -> observer.releaseOrder().size() == released);
            kubelet().succeed(jobName(observer.releaseOrder().get(i)));
        }
        assertEquals(triggered, observer.releaseOrder());
        assertEquals(1, observer.mostActiveAtOnce("single"));
    }

    @Test
    void should_free_the_slot_when_an_execution_finishes_although_its_job_is_kept() {
        String first = trigger("single", "");
        String second = trigger("single", "");
        awaitUntil("first released", () -> observer.releaseOrder().equals(List.of(first)));
        assertEquals("Queued", statusOf("single", second));
        assertEquals(1, get("/job/single").json().get(1).get("PositionInQueue").asInt());

        kubelet().succeed(jobName(first));

        awaitUntil("second released", () -> observer.releaseOrder().equals(List.of(first, second)));
        assertEquals("Succeeded", statusOf("single", first));
        assertTrue(jobs().stream().anyMatch(job -> job.getMetadata().getLabels().get(Labels.ID).equals(first)),
                "the finished Job stays for its TTL");
    }

    @Test
    void should_hold_the_slot_of_an_execution_whose_image_cannot_be_pulled_until_it_finishes() {
        kubelet().refusePull("busybox:flaky");
        String flaky = trigger("single", "{\"Image\": \"busybox:flaky\"}");
        awaitUntil("image pull back-off", () -> statusOf("single", flaky).equals("ImagePullBackOff"));
        String next = trigger("single", "");
        awaitDispatcherCaughtUp();
        assertEquals("Queued", statusOf("single", next), "the stalled execution keeps its slot");

        kubelet().allowPull("busybox:flaky");

        awaitUntil("recovered", () -> statusOf("single", flaky).equals("Running"));
        awaitDispatcherCaughtUp();
        assertEquals("Queued", statusOf("single", next));
        kubelet().succeed(jobName(flaky));
        awaitUntil("next released", () -> releasedOf(List.of(flaky, next)).equals(List.of(flaky, next)));
        assertEquals(1, observer.mostActiveAtOnce("single"));
    }

    @Test
    void should_release_the_next_execution_when_a_running_one_is_deleted() {
        String first = trigger("single", "");
        String second = trigger("single", "");
        awaitUntil("first running", () -> statusOf("single", first).equals("Running"));

        assertEquals(200, delete("/job/single/" + first).status());

        awaitUntil("second released", () -> observer.releaseOrder().equals(List.of(first, second)));
        awaitUntil("first gone", () -> statusOf("single", first).equals("absent"));
    }

    @Test
    void should_count_slots_per_job_name() {
        Map<String, List<String>> triggered = Map.of(
                "single", List.of(trigger("single", ""), trigger("single", "")),
                "pair", List.of(trigger("pair", ""), trigger("pair", ""), trigger("pair", "")));

        awaitDispatcherCaughtUp();

        assertEquals(triggered.get("single").subList(0, 1), releasedOf(triggered.get("single")));
        assertEquals(triggered.get("pair").subList(0, 2), releasedOf(triggered.get("pair")));
        assertEquals("Queued", statusOf("single", triggered.get("single").get(1)));
        assertEquals("Queued", statusOf("pair", triggered.get("pair").get(2)));
    }

    @Test
    void should_share_the_Default_cap_and_queue_among_names_that_fall_back_to_it() {
        String first = trigger("zeta-one", "");
        String second = trigger("alpha-two", "");
        String third = trigger("zeta-three", "");
        awaitDispatcherCaughtUp();

        assertEquals(List.of(first), releasedOf(List.of(first, second, third)));
        assertEquals(1, get("/job/alpha-two").json().get(0).get("PositionInQueue").asInt());
        assertEquals(2, get("/job/zeta-three").json().get(0).get("PositionInQueue").asInt());

        kubelet().succeed(jobName(first));

        awaitUntil("second released", () -> releasedOf(List.of(first, second, third)).equals(List.of(first, second)));
        awaitUntil("third first in line", () -> get("/job/zeta-three").json().get(0).get("PositionInQueue").asInt() == 1);
        kubelet().succeed(jobName(second));
        awaitUntil("third released", () -> releasedOf(List.of(first, second, third)).size() == 3);
        assertEquals(1, observer.mostActiveAtOnce("default"));
    }

    @Test
    void should_forget_releases_in_flight_once_a_group_has_none_left() {
        Dispatcher dispatcher = context.getRegistry().lookupByNameAndType("dispatcher", Dispatcher.class);
        String first = trigger("single", "");
        trigger("zeta-one", "");
        awaitUntil("both running", () -> observer.releaseOrder().size() == 2);
        kubelet().succeed(jobName(first));
        awaitDispatcherCaughtUp();

        awaitUntil("no group keeps bookkeeping", () -> dispatcher.groupsWithReleasesInFlight().isEmpty());
    }

    @Test
    void should_create_every_job_suspended() {
        List<Job> created = new CopyOnWriteArrayList<>();
        try (Watch watch = kube().batch().v1().jobs().inNamespace(namespace).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Job job) {
                if (action == Action.ADDED) {
                    created.add(job);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            trigger("single", "");
            trigger("zeta-one", "");
            awaitUntil("both created", () -> created.size() == 2);
        }
        for (Job job : created) {
            assertEquals(Boolean.TRUE, job.getSpec().getSuspend(), job.getMetadata().getName() + " as created");
        }
    }
}
