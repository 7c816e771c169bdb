package io.slimjobs.api;

import static io.slimjobs.api.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.slimjobs.ApiServerProxy;
import io.slimjobs.HttpCaller;
import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.kube.Labels;
import io.slimjobs.kube.Names;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API server refuses or stalls for a while: triggers answer a JSON 503 within the 10 s SlimFaas clients wait,
 * nothing they were refused is left to run, listing answers from the cache, and dispatching resumes by itself.
 * SlimJobs reaches the API server through a proxy that can refuse or stall; the test watches the API server directly.
 */
class ApiServerOutageTest extends SlimJobsTestSupport {

    private static final String KEY = "order-42";
    /** How long SlimFaas clients usually wait for an answer, and half a second of slack for this busy machine. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(10_500);

    private ApiServerProxy proxy;
    /** Every Job the API server has held, by uid: its name, and whether it was ever released. */
    private final Map<String, String> names = new ConcurrentHashMap<>();
    private final Set<String> released = ConcurrentHashMap.newKeySet();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();

    @Override
    protected Map<String, String> properties() {
        proxy = new ApiServerProxy(cluster.masterUrl(), Duration.ZERO);
        // ownerless input Secrets are swept after 2 s rather than 5 minutes
        return Map.of("slimjobs.kubernetes.master-url", proxy.url(), "slimjobs.inputs.sweep-interval", "2000");
    }

    @BeforeEach
    void watchTheApiServer() {
        SharedIndexInformer<Job> informer = kube().batch().v1().jobs().inNamespace(namespace).inform(
                new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Job job) {
                        seen(job);
                    }

                    @Override
                    public void onUpdate(Job before, Job after) {
                        seen(after);
                    }

                    @Override
                    public void onDelete(Job job, boolean finalStateUnknown) {
                        deleted.add(job.getMetadata().getUid());
                    }
                });
        awaitUntil("the test's own watch started", informer::hasSynced);
    }

    private void seen(Job job) {
        names.put(job.getMetadata().getUid(), job.getMetadata().getName());
        if (!Boolean.TRUE.equals(job.getSpec().getSuspend())) {
            released.add(job.getMetadata().getUid());
        }
    }

    @Override
    protected void doPostTearDown() throws Exception {
        // a test that failed mid-outage: SlimJobs shuts down against a live API server, as it would in a pod
        proxy.resume();
        proxy.restore();
        super.doPostTearDown();
        proxy.close();
    }

    @Test
    void should_answer_503_within_10_s_on_a_stall_and_never_run_the_job_whose_create_lands_after() {
        String running = queuedBefore()[0];
        awaitUntil("the execution listed", () -> !statusOf("fibonacci", running).equals("absent"));
        proxy.stall();

        Answer refused = postWithKey();

        assertError(refused, 503, "cluster_unavailable");
        assertEquals("5", refused.header("retry-after"));
        assertFalse(statusOf("fibonacci", running).equals("absent"),
                "listing answers from the cache while the API server stalls");
        proxy.resume();
        awaitUntil("the create held by the stall reached the API server, and its Job was deleted",
                Duration.ofSeconds(30), () -> uidsOf(keyedJobName()).stream().anyMatch(deleted::contains));
        assertTrue(uidsOf(keyedJobName()).stream().noneMatch(released::contains),
                "the Job created after its caller was told 503 was never released");
    }

    @Test
    void should_leave_nothing_of_a_trigger_with_input_files_given_up_on_once_its_held_creates_land() {
        proxy.stall();
        assertError(postWithin10s("{\"Payload\": \"42\"}", Map.of()), 503, "cluster_unavailable");
        proxy.resume();

        awaitUntil("its input Secret deleted, once its create ended or by the sweep", Duration.ofSeconds(30),
                () -> kube().secrets().inNamespace(namespace).withLabel(Labels.ID).list().getItems().isEmpty());
        awaitUntil("no Job of it left", Duration.ofSeconds(30), () -> jobs().isEmpty());
        assertTrue(released.isEmpty(), "no Job of a trigger told 503 was ever released");
    }

    @Test
    void should_end_with_exactly_one_running_job_when_a_trigger_told_503_is_retried_with_its_idempotency_key() {
        proxy.stall();
        assertError(postWithKey(), 503, "cluster_unavailable");
        proxy.resume();
        awaitUntil("the create held by the stall reached the API server", Duration.ofSeconds(30),
                () -> !uidsOf(keyedJobName()).isEmpty());

        Answer retried = postWithKey();

        assertEquals(202, retried.status(), retried.toString());
        assertEquals(keyedExecutionId(), retried.json().get("Id").asText());
        awaitUntil("the retry's Job released", Duration.ofSeconds(30),
                () -> uidsOf(keyedJobName()).stream().anyMatch(released::contains));
        awaitUntil("the Job given up on deleted", Duration.ofSeconds(30),
                () -> uidsOf(keyedJobName()).stream().filter(uid -> !deleted.contains(uid)).count() == 1);
        List<Job> left = jobs().stream().filter(job -> job.getMetadata().getName().equals(keyedJobName())).toList();
        assertEquals(1, left.size());
        assertTrue(released.contains(left.get(0).getMetadata().getUid()));
        assertEquals(1, uidsOf(keyedJobName()).stream().filter(released::contains).count(),
                "only the retry's Job ever ran");
    }

    @Test
    void should_answer_503_when_the_api_server_refuses_and_release_the_queue_once_it_is_back() {
        String[] ids = queuedBefore();
        String first = ids[0];
        String queued = ids[2];
        awaitUntil("two running and one queued", () -> statusOf("fibonacci", first).equals("Running")
                && statusOf("fibonacci", queued).equals("Queued"));
        proxy.cut();

        assertError(post("/job/fibonacci", "{}"), 503, "cluster_unavailable");
        assertEquals("Queued", statusOf("fibonacci", queued), "listing answers from the cache while refused");
        kubelet().succeed(jobOf(first).getMetadata().getName());
        proxy.restore();

        awaitUntil("the queued execution released once the API server is back", Duration.ofSeconds(45),
                () -> !Boolean.TRUE.equals(jobOf(queued).getSpec().getSuspend()));
    }

    @Test
    void should_delete_and_never_release_a_job_the_api_server_created_after_its_trigger_answered_503() {
        Instant now = Instant.now();
        Job late = jobsAsTriggered("fibonacci", now).apply(UUID.randomUUID().toString());
        Map<String, String> annotations = new LinkedHashMap<>(late.getMetadata().getAnnotations());
        // as if another replica had given up on it: its trigger answered 503 two seconds before the API server made it
        annotations.put(Labels.ANSWER_BY, now.minusSeconds(2).toString());
        late.getMetadata().setAnnotations(annotations);

        kube().batch().v1().jobs().inNamespace(namespace).resource(late).create();

        awaitUntil("the late Job deleted", () -> uidsOf(late.getMetadata().getName()).stream()
                .anyMatch(deleted::contains));
        assertFalse(uidsOf(late.getMetadata().getName()).stream().anyMatch(released::contains));
        assertNull(kube().batch().v1().jobs().inNamespace(namespace).withName(late.getMetadata().getName()).get());
    }

    /**
     * Three executions of fibonacci (NumberParallelJob 2), queued in this order straight in the API server: what
     * happens before the outage is not what these tests are about, and the first triggers of a cold JVM on a busy
     * machine can take longer than the trigger timeout.
     */
    private String[] queuedBefore() {
        Function<String, Job> asTriggered = jobsAsTriggered("fibonacci", Instant.now());
        String[] ids = {UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString()};
        for (String id : ids) {
            kube().batch().v1().jobs().inNamespace(namespace).resource(asTriggered.apply(id)).create();
        }
        return ids;
    }

    private Answer postWithKey() {
        return postWithin10s("{}", Map.of("Idempotency-Key", KEY));
    }

    /** Posts as a caller that waits no longer than a SlimFaas client: an answer after that fails the test. */
    private Answer postWithin10s(String json, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/json");
        return new HttpCaller(port, CLIENT_TIMEOUT).call(HttpCaller.OUTSIDER, "POST", "/job/fibonacci", all, json);
    }

    /** The execution Id the key gives, as SlimFaas callers rely on. */
    private static String keyedExecutionId() {
        return UUID.nameUUIDFromBytes(("fibonacci\n" + KEY).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String keyedJobName() {
        return Names.jobObjectName("fibonacci", keyedExecutionId());
    }

    private List<String> uidsOf(String name) {
        return names.entrySet().stream().filter(entry -> entry.getValue().equals(name)).map(Map.Entry::getKey)
                .toList();
    }
}
