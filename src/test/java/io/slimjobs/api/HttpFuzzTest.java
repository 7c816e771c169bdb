package io.slimjobs.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.slimjobs.Json;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.TestClock;
import io.slimjobs.api.RawHttpRequest.Answer;
import io.slimjobs.api.RawHttpRequest.Framing;
import io.slimjobs.kube.Labels;
import org.junit.jupiter.api.Test;

/**
 * Thousands of generated requests (see {@link FuzzRequests}) from several clients at once, against every door of the
 * HTTP API. None may get a 5xx or hang; every refusal is a JSON `{"error","message"}`; no request answered 4xx leaves a
 * Job, an input Secret or a schedule behind; and the service is healthy afterwards. Seeded: `-Dslimjobs.fuzz.seed=N`
 * replays a run (the seed is printed), `-Dslimjobs.fuzz.requests=N` changes its length.
 */
class HttpFuzzTest extends SlimJobsTestSupport {

    private static final long DEFAULT_SEED = 20_261_126L;
    private static final int CLIENTS = 4;
    private static final int TIMEOUT_MILLIS = 15_000;
    private static final int MAX_BODY_SIZE = 65_536;
    private static final int MAX_FAILURES = 20;
    /** Still, so that no schedule comes due during the run and every Job counted is one a request made. */
    private static final Clock STILL = new TestClock(Instant.now());

    private final Set<String> executionsAnswered = ConcurrentHashMap.newKeySet();
    private final Set<String> executionsDeleted = ConcurrentHashMap.newKeySet();
    private final Set<String> schedulesAnswered = ConcurrentHashMap.newKeySet();
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    /** The shared configuration with a job that waits for a Deployment, one with input files, and a schedule. */
    @Override
    protected String jobsConfiguration() {
        String jobs = CONFIGURATION.replace("\"Default\": {", """
                "with-deps": { "Image": "busybox:1.36", "Visibility": "Public", "DependsOn": ["fuzz-db"] },
                "with-payload": { "Image": "busybox:1.36", "Visibility": "Public", "PayloadPath": "/input" },
                "Default": {""");
        return jobs.substring(0, jobs.lastIndexOf('}'))
                + ", \"Schedules\": { \"fibonacci\": [ { \"Schedule\": \"0 0 * * *\", \"Args\": [\"42\"] } ] } }";
    }

    @Override
    protected Map<String, String> properties() {
        return Map.of("slimjobs.trusted-cidrs", FuzzRequests.TRUSTED + "/32",
                "slimjobs.http.max-body-size", String.valueOf(MAX_BODY_SIZE),
                "slimjobs.callbacks.allowed-hosts", "127.0.0.1");
    }

    @Override
    protected Clock clock() {
        return STILL;
    }

    @Test
    void should_answer_every_generated_request_without_5xx_hang_or_anything_made_by_a_refusal() throws Exception {
        long seed = Long.getLong("slimjobs.fuzz.seed", DEFAULT_SEED);
        int requests = Integer.getInteger("slimjobs.fuzz.requests", 10_000);
        System.out.printf("HttpFuzzTest: %d requests from %d clients, seed %d (-Dslimjobs.fuzz.seed=%d replays it)%n",
                requests, CLIENTS, seed, seed);
        createDeployment("fuzz-db", 1, Map.of());

        long[] millis = new long[requests];
        String[] sent = new String[requests];
        long start = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
            int number = client;
            running.add(clients.submit(() -> runClient(seed, number, millis, sent)));
        }
        clients.shutdown();
        for (Future<?> client : running) {
            client.get(10, TimeUnit.MINUTES);
        }
        System.out.println("HttpFuzzTest: answers by status " + new TreeMap<>(statuses));
        printTimes(millis, sent, System.nanoTime() - start);
        assertTrue(failures.isEmpty(), () -> "seed " + seed + ": " + failures.size() + " failures (at most "
                + MAX_FAILURES + " shown)\n" + String.join("\n\n", failures));

        assertNothingMadeByARefusal();
        assertHealthyAfterwards();
    }

    /** Client {@code number} sends requests number, number + CLIENTS, ... from its own generator. */
    private void runClient(long seed, int number, long[] millis, String[] sent) {
        FuzzRequests generator = new FuzzRequests(seed * 31 + number);
        for (int n = number; n < millis.length && failures.size() < MAX_FAILURES; n += CLIENTS) {
            RawHttpRequest request = generator.next();
            sent[n] = request.method() + " " + RawHttpRequest.escape(request.target(), 80) + " " + request.framing();
            Answer answer;
            long start = System.nanoTime();
            try {
                answer = request.send(port, TIMEOUT_MILLIS);
            } catch (IOException | RuntimeException e) {
                fail(seed, n, request, null, e.toString());
                continue;
            } finally {
                millis[n] = (System.nanoTime() - start) / 1_000_000;
            }
            statuses.computeIfAbsent(answer.status(), status -> new AtomicInteger()).incrementAndGet();
            String problem = check(request, answer);
            if (problem != null) {
                fail(seed, n, request, answer, problem);
            } else {
                record(request, answer, generator);
            }
        }
    }

    /** How long the run and its requests took, and which were slowest: where to look when the run gets slow. */
    private static void printTimes(long[] millis, String[] sent, long nanos) {
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        System.out.printf("HttpFuzzTest: %d requests in %d ms; per request p50 %d ms, p99 %d ms, max %d ms%n",
                millis.length, nanos / 1_000_000, sorted[sorted.length / 2], sorted[sorted.length * 99 / 100],
                sorted[sorted.length - 1]);
        IntStream.range(0, millis.length).boxed()
                .sorted((a, b) -> Long.compare(millis[b], millis[a])).limit(5)
                .forEach(n -> System.out.printf("HttpFuzzTest:   %d ms: %s%n", millis[n], sent[n]));
    }

    /** What is wrong with this answer to this request; null when nothing is. */
    private static String check(RawHttpRequest request, Answer answer) {
        if (answer.status() == 0) {
            // a body shorter than its Content-Length, then the end of the stream: there is no request to answer; or
            // the connection closed, its answer lost, while a request refused by its head was still being written
            return request.framing() == Framing.LONG_LENGTH || request.httpMayRefuse()
                    || request.body().length > MAX_BODY_SIZE ? null : "no answer";
        }
        if (answer.status() >= 500) {
            return "a 5xx";
        }
        if (answer.status() >= 400 && !request.method().equals("HEAD")) {
            // the HTTP layer's own refusal is bare; every answer of the API is JSON
            return request.httpMayRefuse() && answer.header("content-type") == null ? null : errorBodyProblem(answer);
        }
        return null;
    }

    private static String errorBodyProblem(Answer answer) {
        String type = answer.header("content-type");
        if (type == null || !type.startsWith("application/json")) {
            return "an error answer that is not JSON";
        }
        try {
            JsonNode body = Json.MAPPER.readTree(answer.body());
            List<String> names = new ArrayList<>();
            body.fieldNames().forEachRemaining(names::add);
            if (!names.equals(List.of("error", "message")) || !body.get("error").isTextual()
                    || body.get("message").asText().isBlank()) {
                return "an error body that is not {\"error\",\"message\"}";
            }
            return null;
        } catch (IOException e) {
            return "an error body that does not parse: " + e.getMessage();
        }
    }

    /** Keeps what the API said it made or deleted, and hands the Ids to the generator to read and delete later. */
    private void record(RawHttpRequest request, Answer answer, FuzzRequests generator) {
        int status = answer.status();
        if (status != 200 && status != 201 && status != 202 || request.method().equals("HEAD")) {
            return;
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(answer.body());
        } catch (IOException e) {
            return;
        }
        if (body == null || !body.isObject() || !body.has("Id")) {
            return;
        }
        String id = body.get("Id").asText();
        if (request.method().equals("POST") && status == 201) {
            schedulesAnswered.add(id);
            generator.scheduleAnswered(id);
        } else if (request.method().equals("POST")) {
            executionsAnswered.add(id);
            generator.executionAnswered(id);
        } else if (request.method().equals("DELETE")) {
            executionsDeleted.add(id);
        }
    }

    private void fail(long seed, int n, RawHttpRequest request, Answer answer, String problem) {
        if (failures.size() < MAX_FAILURES) {
            failures.add("seed " + seed + ", request " + n + ": " + problem + "\n  request: " + request.describe()
                    + "\n  answer: " + (answer == null ? "none" : answer));
        }
    }

    /**
     * Every Job is one of an execution some request was answered 2xx for, and every such execution never deleted has
     * one; one Job per execution and per idempotency key; every input Secret and stored schedule is one an answer named.
     */
    private void assertNothingMadeByARefusal() {
        var jobs = kube().batch().v1().jobs().inNamespace(namespace).withLabel(Labels.ID).list().getItems();
        List<String> jobIds = jobs.stream().map(job -> job.getMetadata().getLabels().get(Labels.ID)).toList();
        assertEquals(jobIds.size(), new HashSet<>(jobIds).size(), "one Job per execution");
        // an Idempotency-Key gives the same Id again after its execution was deleted: an Id deleted once may be back
        Set<String> unanswered = new HashSet<>(jobIds);
        unanswered.removeAll(executionsAnswered);
        Set<String> missing = new HashSet<>(executionsAnswered);
        missing.removeAll(executionsDeleted);
        jobIds.forEach(missing::remove);
        assertEquals(Set.of(), unanswered, "Jobs of executions no request was answered 2xx for");
        assertEquals(Set.of(), missing, "executions answered 2xx, never deleted, that have no Job");

        Map<String, List<String>> byKey = jobs.stream()
                .filter(job -> job.getMetadata().getLabels().containsKey(Labels.IDEMPOTENCY_KEY))
                .collect(Collectors.groupingBy(job -> job.getMetadata().getLabels().get(Labels.JOB) + " "
                        + job.getMetadata().getLabels().get(Labels.IDEMPOTENCY_KEY),
                        Collectors.mapping(job -> job.getMetadata().getName(), Collectors.toList())));
        byKey.forEach((key, names) -> assertEquals(1, names.size(), () -> "Jobs of one idempotency key " + key));

        Set<String> secretIds = kube().secrets().inNamespace(namespace).withLabel(Labels.ID).list().getItems().stream()
                .map(HasMetadata::getMetadata).map(metadata -> metadata.getLabels().get(Labels.ID))
                .collect(Collectors.toSet());
        assertTrue(executionsAnswered.containsAll(secretIds), () -> "input Secrets of executions never answered: "
                + secretIds.stream().filter(id -> !executionsAnswered.contains(id)).toList());

        ConfigMap stored = kube().configMaps().inNamespace(namespace).withName("slimjobs-schedules").get();
        Set<String> storedIds = stored == null || stored.getData() == null ? Set.of() : stored.getData().keySet();
        assertTrue(schedulesAnswered.containsAll(storedIds), () -> "schedules stored that no answer named: "
                + storedIds.stream().filter(id -> !schedulesAnswered.contains(id)).toList());
        System.out.printf("HttpFuzzTest: %d executions answered, %d deleted, %d schedules created%n",
                executionsAnswered.size(), executionsDeleted.size(), schedulesAnswered.size());
    }

    private void assertHealthyAfterwards() {
        assertEquals(200, get("/health").status(), "/health");
        assertEquals(200, get("/ready").status(), "/ready");
        String id = trigger("fibonacci", "{\"Args\":[\"1\"]}");
        assertEquals(id, listed("fibonacci", id).get("Id").asText());
    }
}
