package io.slimjobs.trigger;

import static io.slimjobs.SlimJobsTestSupport.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slimjobs.HttpCaller;
import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.KillableJar;
import io.slimjobs.demo.EmbeddedCluster;
import io.slimjobs.kube.Labels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar killed without a word (SIGKILL, no shutdown hook) in the middle of a stream of triggers that each
 * carry their own `Idempotency-Key`, then started again: judged by the API server's own view, a 202 is a promise that
 * holds, and a trigger that got no answer (or a 503, which promises nothing either), retried with its key, ends with
 * exactly one Job too.
 */
class IdempotentTriggerKillIT {

    private static final String NAMESPACE = "idempotent-kill";
    private static final String JOB = "keyed";
    /** Finished Jobs stay for the whole test, so that the API server still shows every one at the end. */
    private static final String CONFIGURATION = "{\"Configurations\": {\"" + JOB + "\": {\"Image\": \"busybox:1.36\", "
            + "\"Visibility\": \"Public\", \"NumberParallelJob\": 5, \"TtlSecondsAfterFinished\": 3600}}}";
    private static final int CLIENTS = 6;
    private static final int KEYS_PER_CLIENT = 200;
    /** Answers before the kill: a client stops at its first trigger without an answer, so most keys are never sent. */
    private static final int KILL_AFTER = 100;
    /** No answer at all: the connection was refused, reset or timed out. */
    private static final int NO_ANSWER = -1;

    @TempDir
    Path home;
    private EmbeddedCluster cluster;
    private KillableJar jar;

    /** What one trigger got: its status ({@link #NO_ANSWER} for none) and the Id answered with a 2xx. */
    private record Outcome(int status, String id, String body) {
    }

    @BeforeEach
    void startCluster() {
        cluster = EmbeddedCluster.start(NAMESPACE, Duration.ofMillis(100));
        jar = new KillableJar(home, Map.of(
                "SLIMJOBS_KUBERNETES_MASTER_URL", cluster.masterUrl(),
                "SLIMJOBS_NAMESPACE", NAMESPACE,
                "SlimFaas__JobsConfiguration", CONFIGURATION));
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        jar.close();
        cluster.close();
    }

    private static Outcome trigger(HttpCaller http, String key) {
        Answer answer;
        try {
            answer = http.call(HttpCaller.OUTSIDER, "POST", "/job/" + JOB,
                    Map.of("Content-Type", "application/json", TriggerHeaders.IDEMPOTENCY_KEY, key), "{}");
        } catch (AssertionError refusedResetOrTimedOut) {
            return new Outcome(NO_ANSWER, null, String.valueOf(refusedResetOrTimedOut.getCause()));
        }
        String id = answer.status() / 100 == 2 ? answer.json().path("Id").asText(null) : null;
        return new Outcome(answer.status(), id, answer.body());
    }

    private static String key(int client, int index) {
        return "client-" + client + "-trigger-" + index;
    }

    @Test
    void should_keep_every_202_and_make_one_job_per_retried_key_across_a_kill_mid_stream() throws Exception {
        long begin = System.nanoTime();
        HttpCaller first = jar.start("first");
        long ready = System.nanoTime();
        Map<String, Outcome> sent = new ConcurrentHashMap<>();
        AtomicInteger answered = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> streams = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            streams.add(clients.submit(() -> {
                for (int i = 0; i < KEYS_PER_CLIENT; i++) {
                    Outcome outcome = trigger(first, key(client, i));
                    sent.put(key(client, i), outcome);
                    if (outcome.status() == NO_ANSWER) {
                        return;
                    }
                    answered.incrementAndGet();
                }
            }));
        }
        awaitUntil(KILL_AFTER + " answers", Duration.ofSeconds(60), () -> answered.get() >= KILL_AFTER);
        jar.kill();
        for (Future<?> stream : streams) {
            stream.get(60, TimeUnit.SECONDS);
        }
        clients.shutdown();

        Map<String, Outcome> others = new TreeMap<>(sent);
        others.values().removeIf(outcome -> outcome.status() == 202 || promisedNothing(outcome));
        assertEquals(Map.of(), others,
                "before the kill, every trigger was accepted, or told to come again, or unanswered");
        assertEquals(CLIENTS, sent.values().stream().filter(outcome -> outcome.status() == NO_ANSWER).count(),
                "each client's stream ends at its first trigger without an answer");
        List<String> unsettled = sent.entrySet().stream().filter(e -> promisedNothing(e.getValue()))
                .map(Map.Entry::getKey).sorted().toList();
        List<String> accepted = sent.entrySet().stream().filter(e -> e.getValue().status() == 202)
                .map(Map.Entry::getKey).sorted().toList();
        System.out.println("Kill: " + accepted.size() + " triggers answered 202, " + unsettled.size()
                + " answered 503 or not at all, before the kill; ready after " + millis(begin, ready)
                + " ms, killed after " + millis(ready, System.nanoTime()) + " ms of triggers");

        long restart = System.nanoTime();
        HttpCaller second = jar.start("second");
        System.out.println("Kill: ready again after " + millis(restart, System.nanoTime()) + " ms");
        Map<String, String> ids = new TreeMap<>();
        accepted.forEach(key -> ids.put(key, sent.get(key).id()));
        for (String key : unsettled) {
            Outcome retried = trigger(second, key);
            // a slow API server may still answer 503: the caller comes again with the same key
            for (int attempt = 1; retried.status() == 503 && attempt < 10; attempt++) {
                retried = trigger(second, key);
            }
            Outcome last = retried;
            assertTrue(last.status() == 202 || last.status() == 200, () -> key + " retried: " + last);
            ids.put(key, last.id());
        }
        // the key's worth: an accepted trigger sent again makes nothing and is answered the execution it made
        for (int i = 0; i < accepted.size(); i += 10) {
            String key = accepted.get(i);
            Outcome again = trigger(second, key);
            assertEquals(200, again.status(), () -> key + " sent again: " + again);
            assertEquals(sent.get(key).id(), again.id(), key + " sent again");
        }

        Map<String, List<String>> jobsByKey = cluster.client().batch().v1().jobs().inNamespace(NAMESPACE)
                .withLabel(Labels.MANAGED_BY).list().getItems().stream()
                .collect(Collectors.groupingBy(job -> job.getMetadata().getAnnotations().get(Labels.IDEMPOTENCY_KEY),
                        TreeMap::new, Collectors.mapping(IdempotentTriggerKillIT::executionId, Collectors.toList())));
        Map<String, List<String>> expected = new TreeMap<>();
        ids.forEach((key, id) -> expected.put(key, List.of(id)));
        // a key never sent has no Job: the map holds only the keys sent
        assertEquals(expected, jobsByKey,
                () -> "one Job per key, with the Id answered, and nothing else\n" + jar.logs());
    }

    /** No answer, or a 503: neither promises that nothing was created, and both ask the caller to come again. */
    private static boolean promisedNothing(Outcome outcome) {
        return outcome.status() == NO_ANSWER || outcome.status() == 503;
    }

    private static long millis(long fromNanos, long toNanos) {
        return Duration.ofNanos(toNanos - fromNanos).toMillis();
    }

    private static String executionId(Job job) {
        return job.getMetadata().getLabels().get(Labels.ID);
    }
}
