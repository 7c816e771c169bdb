import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

/**
 * The benchmark's load generator, in its own process beside SlimJobs and the API server (see bench/run.sh). Talks
 * HTTP/1.1 to SlimJobs and, through the fabric8 client, to the API server, where it creates Jobs the way SlimJobs
 * does and plays the Job controller where a phase needs one. Prints {@code key<TAB>value} lines.
 *
 * <pre>
 * java -cp 'target/lib/*:target/slimjobs.jar' bench/Load.java MODE SERVICE_URL API_URL JOB ...
 *   throughput JOB SERVICE_PID CLIENTS(1,8,32) ROUNDS TRIGGERS   SlimJobs rounds alternating with raw fabric8 rounds
 *   dispatch   JOB CAP EXECUTIONS RUN_MS                         completion to next release, as seen on a watch
 *   listing    JOB TOTAL REQUESTS                                finished executions created, then GET /job/JOB
 *   queue      JOB COUNT                                         COUNT triggers, 8 clients
 * </pre>
 */
public final class Load {

    static final String NAMESPACE = "default";
    static final String IMAGE = "busybox:1.36";
    /** The definitions run.sh configures: the same resources, so raw Jobs match triggered ones. */
    static final Map<String, Quantity> RESOURCES = Map.of("cpu", new Quantity("10m"), "memory", new Quantity("16Mi"));
    static final String TRIGGER_BODY = "{\"Args\":[\"42\"]}";
    /** Keys of SlimJobs' own labels and annotations (io.slimjobs.kube.Labels), spelled out so any build is measurable. */
    static final String MANAGED_BY = "app.kubernetes.io/managed-by", JOB = "slimjobs.io/job", ID = "slimjobs.io/id",
            ENQUEUED_AT = "slimjobs.io/enqueued-at";

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static String service;
    static KubernetesClient kube;

    public static void main(String[] args) throws Exception {
        service = args[1].replaceAll("/$", "");
        kube = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl(args[2]).withNamespace(NAMESPACE).build()).build();
        String job = args[3];
        try {
            switch (args[0]) {
                case "throughput" -> throughput(job, Long.parseLong(args[4]),
                        Arrays.stream(args[5].split(",")).mapToInt(Integer::parseInt).toArray(),
                        Integer.parseInt(args[6]), Integer.parseInt(args[7]));
                case "dispatch" -> dispatch(job, Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                        Integer.parseInt(args[6]));
                case "listing" -> listing(job, Integer.parseInt(args[4]), Integer.parseInt(args[5]));
                case "queue" -> {
                    int accepted = parallel(8, Integer.parseInt(args[4]), i -> trigger(job));
                    out("queued", accepted);
                }
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        } finally {
            kube.close();
        }
        System.exit(0);   // the fabric8 client's Vert.x threads would keep the JVM up
    }

    // ---- 1. trigger throughput, SlimJobs next to raw creates

    static void throughput(String job, long pid, int[] clientCounts, int rounds, int triggers) throws Exception {
        // unmeasured: JIT of both paths, on both sides
        round(job, pid, 8, Math.min(triggers, 500), true);
        round(job, pid, 8, Math.min(triggers, 500), false);
        for (int clients : clientCounts) {
            List<Double> slim = new ArrayList<>(), raw = new ArrayList<>(), ratios = new ArrayList<>(),
                    cpuSlim = new ArrayList<>(), cpuRaw = new ArrayList<>();
            int errors = 0;
            for (int r = 0; r < rounds; r++) {
                // alternate which side goes first, so a drift in the machine's load does not favour one side
                Result a, b;
                if (r % 2 == 0) {
                    a = round(job, pid, clients, triggers, true);
                    b = round(job, pid, clients, triggers, false);
                } else {
                    b = round(job, pid, clients, triggers, false);
                    a = round(job, pid, clients, triggers, true);
                }
                slim.add(a.perSecond());
                raw.add(b.perSecond());
                ratios.add(a.perSecond() / b.perSecond());
                cpuSlim.add(a.cpuMsPerItem());
                cpuRaw.add(b.cpuMsPerItem());
                errors += a.errors() + b.errors();
            }
            String k = "tp" + clients;
            out(k + "_slimjobs_per_s", fmt(median(slim), 0));
            out(k + "_raw_per_s", fmt(median(raw), 0));
            out(k + "_ratio", fmt(median(ratios), 2));
            out(k + "_ratios", join(ratios, 2));
            out(k + "_slimjobs_all", join(slim, 0));
            out(k + "_raw_all", join(raw, 0));
            out(k + "_cpu_ms_per_trigger", fmt(median(cpuSlim), 2));
            out(k + "_cpu_ms_per_raw_job", fmt(median(cpuRaw), 2));
            out(k + "_errors", errors);
        }
    }

    record Result(double perSecond, double cpuMsPerItem, int errors) {
    }

    /** TRIGGERS executions through SlimJobs or straight to the API server, then deletes them again. */
    static Result round(String job, long pid, int clients, int count, boolean throughSlimJobs) throws Exception {
        long ticks = cpuTicks(pid), start = System.nanoTime();
        int ok = parallel(clients, count, throughSlimJobs ? i -> trigger(job) : i -> createQueued(job));
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMs = (cpuTicks(pid) - ticks) * 1000.0 / 100;   // USER_HZ is 100 on Linux
        clean(job);
        return new Result(ok / seconds, cpuMs / count, count - ok);
    }

    /** One suspended Job as SlimJobs' JobFactory builds it for the definition run.sh configures. */
    static boolean createQueued(String job) {
        try {
            kube.batch().v1().jobs().inNamespace(NAMESPACE).resource(
                    execution(job, UUID.randomUUID().toString(), true, 60, Instant.now()).build()).create();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** An execution's Job, labelled, annotated and specified as SlimJobs' JobFactory makes it. */
    static JobBuilder execution(String job, String id, boolean suspended, int ttl, Instant enqueuedAt) {
        Map<String, String> labels = Map.of(MANAGED_BY, "slimjobs", JOB, job, ID, id);
        return new JobBuilder()
                .withNewMetadata()
                    .withName(objectName(job, id)).withNamespace(NAMESPACE).withLabels(labels)
                    .withAnnotations(Map.of(ENQUEUED_AT, enqueuedAt.truncatedTo(ChronoUnit.MICROS).toString()))
                .endMetadata()
                .withNewSpec()
                    .withSuspend(suspended).withBackoffLimit(1).withTtlSecondsAfterFinished(ttl)
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            .addNewContainer()
                                .withName(job).withImage(IMAGE).withArgs("42")
                                .withNewResources().withRequests(RESOURCES).withLimits(RESOURCES).endResources()
                            .endContainer()
                        .endSpec()
                    .endTemplate()
                .endSpec();
    }

    /** Deletes the job's Jobs and Pods and waits until SlimJobs lists none: the next round starts from nothing. */
    static void clean(String job) throws InterruptedException {
        kube.batch().v1().jobs().inNamespace(NAMESPACE).withLabel(JOB, job).delete();
        kube.pods().inNamespace(NAMESPACE).withLabel(JOB, job).delete();
        awaitListed(job, n -> n == 0, Duration.ofSeconds(120));
    }

    // ---- 2. dispatch latency

    static void dispatch(String job, int cap, int executions, int runMs) throws Exception {
        Map<String, Long> released = new ConcurrentHashMap<>(), completed = new ConcurrentHashMap<>();
        ScheduledExecutorService controller = Executors.newSingleThreadScheduledExecutor();
        Set<String> waiting = new HashSet<>();
        boolean[] go = {false};
        kube.batch().v1().jobs().inNamespace(NAMESPACE).withLabel(JOB, job).watch(new Watcher<Job>() {
            @Override
            public void eventReceived(Action action, Job seen) {
                long now = System.nanoTime();
                String name = seen.getMetadata().getName();
                if (Boolean.FALSE.equals(seen.getSpec().getSuspend()) && released.putIfAbsent(name, now) == null) {
                    synchronized (waiting) {
                        if (go[0]) {
                            controller.schedule(() -> complete(name), runMs, TimeUnit.MILLISECONDS);
                        } else {
                            waiting.add(name);
                        }
                    }
                }
                if (seen.getStatus() != null && seen.getStatus().getConditions().stream()
                        .anyMatch(c -> "Complete".equals(c.getType()) && "True".equals(c.getStatus()))) {
                    completed.putIfAbsent(name, now);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
        // queue them all first, so that what is measured is the dispatcher, not the trigger burst beside it
        int accepted = parallel(8, executions, i -> trigger(job));
        synchronized (waiting) {
            go[0] = true;
            waiting.forEach(name -> controller.schedule(() -> complete(name), runMs, TimeUnit.MILLISECONDS));
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (completed.size() < accepted && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        controller.shutdownNow();
        List<Long> releases = new ArrayList<>(released.values()), completions = new ArrayList<>(completed.values());
        Collections.sort(releases);
        Collections.sort(completions);
        // the k-th completion frees the slot the (cap + k)-th release takes
        List<Double> latencies = new ArrayList<>();
        for (int k = 0; cap + k < releases.size() && k < completions.size(); k++) {
            latencies.add((releases.get(cap + k) - completions.get(k)) / 1e6);
        }
        Collections.sort(latencies);
        out("dispatch_count", latencies.size());
        out("dispatch_completed", completed.size() + "/" + accepted);
        out("dispatch_p50_ms", fmt(percentile(latencies, 50), 1));
        out("dispatch_p90_ms", fmt(percentile(latencies, 90), 1));
        out("dispatch_p99_ms", fmt(percentile(latencies, 99), 1));
        out("dispatch_max_ms", fmt(latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() - 1), 1));
        clean(job);
    }

    /**
     * What the Job controller writes when the pod succeeded: the fields SlimJobs reads. Tried again when the write
     * loses a race with SlimJobs' own writes to the Job.
     */
    static void complete(String name) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        for (int attempt = 1; ; attempt++) {
            try {
                kube.batch().v1().jobs().inNamespace(NAMESPACE).withName(name).editStatus(job -> new JobBuilder(job)
                        .editOrNewStatus()
                            .withStartTime(now).withCompletionTime(now).withActive(0).withReady(0).withSucceeded(1)
                            .withConditions(finished("SuccessCriteriaMet", now), finished("Complete", now))
                        .endStatus().build());
                return;
            } catch (RuntimeException e) {
                if (attempt == 5) {
                    System.err.println("could not complete " + name + ": " + e);
                    return;
                }
            }
        }
    }

    static io.fabric8.kubernetes.api.model.batch.v1.JobCondition finished(String type, String now) {
        return new JobConditionBuilder().withType(type).withStatus("True").withReason("CompletionsReached")
                .withLastProbeTime(now).withLastTransitionTime(now).build();
    }

    // ---- 3. listing

    static void listing(String job, int total, int requests) throws Exception {
        int existing = kube.batch().v1().jobs().inNamespace(NAMESPACE).withLabel(JOB, job).list().getItems().size();
        int created = parallel(8, Math.max(0, total - existing), i -> createFinished(job));
        int listed = awaitListed(job, n -> n >= total, Duration.ofMinutes(4));
        if (listed < total) {
            throw new IllegalStateException("SlimJobs lists " + listed + " of " + total + " executions");
        }
        long[] lat = new long[requests];
        int bytes = 0, errors = 0;
        for (int i = 0; i < requests; i++) {
            long s = System.nanoTime();
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(service + "/job/" + job)).GET());
            lat[i] = System.nanoTime() - s;
            if (r == null || r.statusCode() != 200) {
                errors++;
            } else {
                bytes = r.body().length();
            }
        }
        Arrays.sort(lat);
        String k = "list" + total;
        out(k + "_created", created);
        out(k + "_p50_ms", fmt(percentile(lat, 50) / 1e6, 1));
        out(k + "_p99_ms", fmt(percentile(lat, 99) / 1e6, 1));
        out(k + "_max_ms", fmt(lat[lat.length - 1] / 1e6, 1));
        out(k + "_body_kib", bytes / 1024);
        out(k + "_requests", requests);
        out(k + "_errors", errors);
    }

    /** A Job that ran and succeeded, with its pod, as a cluster keeps them until the Job's TTL. */
    static boolean createFinished(String job) {
        String id = UUID.randomUUID().toString(), name = objectName(job, id);
        Instant queuedAt = Instant.now().minusSeconds(120);
        String started = queuedAt.plusSeconds(1).truncatedTo(ChronoUnit.SECONDS).toString();
        String ended = queuedAt.plusSeconds(6).truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            Job finished = kube.batch().v1().jobs().inNamespace(NAMESPACE).resource(
                    execution(job, id, false, 36000, queuedAt)
                    .withNewStatus()
                        .withStartTime(started).withCompletionTime(ended).withActive(0).withReady(0).withSucceeded(1)
                        .withConditions(finished("SuccessCriteriaMet", ended), finished("Complete", ended))
                    .endStatus()
                    .build()).create();
            Map<String, String> podLabels = new HashMap<>(finished.getMetadata().getLabels());
            podLabels.put("batch.kubernetes.io/job-name", name);
            podLabels.put("job-name", name);
            podLabels.put("batch.kubernetes.io/controller-uid", finished.getMetadata().getUid());
            Pod pod = new PodBuilder()
                    .withNewMetadata()
                        .withName(name + "-" + id.substring(0, 5)).withNamespace(NAMESPACE).withLabels(podLabels)
                        .addNewOwnerReference()
                            .withApiVersion("batch/v1").withKind("Job").withName(name)
                            .withUid(finished.getMetadata().getUid()).withController(true)
                        .endOwnerReference()
                    .endMetadata()
                    .withSpec(finished.getSpec().getTemplate().getSpec())
                    .withNewStatus()
                        .withPhase("Succeeded").withPodIP("10.244.0.1").withStartTime(started)
                        .addNewContainerStatus()
                            .withName(job).withImage(IMAGE).withReady(false).withStarted(false).withRestartCount(0)
                            .withNewState().withNewTerminated().withExitCode(0).withReason("Completed")
                                .withStartedAt(started).withFinishedAt(ended).endTerminated().endState()
                        .endContainerStatus()
                    .endStatus()
                    .build();
            kube.pods().inNamespace(NAMESPACE).resource(pod).create();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    // ---- shared

    /** One {@code POST /job/JOB} with a small override body; true when it was accepted (202). */
    static boolean trigger(String job) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(service + "/job/" + job))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(TRIGGER_BODY)));
        return r != null && r.statusCode() == 202;
    }

    /** How many executions SlimJobs lists for the job once {@code until} holds, or when the time is up. */
    static int awaitListed(String job, IntPredicate until, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(service + "/job/" + job)).GET());
            int n = r == null || r.statusCode() != 200 ? -1 : count(r.body(), "\"Id\":");
            if (until.test(n) || System.nanoTime() > deadline) {
                return n;
            }
            Thread.sleep(200);
        }
    }

    /** COUNT tasks over CLIENTS threads drawing from one budget; how many succeeded. */
    static int parallel(int clients, int count, IntPredicate task) throws Exception {
        AtomicInteger budget = new AtomicInteger(count), ok = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            workers.add(pool.submit(() -> {
                for (int i; (i = budget.getAndDecrement()) > 0; ) {
                    if (task.test(i)) {
                        ok.incrementAndGet();
                    }
                }
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        return ok.get();
    }

    /** A failed exchange (timeout, refused connection) counts as an error, it does not end the run. */
    static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    /** SlimJobs' Job object name: the job name and the first 12 hex digits of the execution id. */
    static String objectName(String job, String id) {
        return job.replace('_', '-') + "-" + id.replace("-", "").substring(0, 12);
    }

    /** utime + stime of the process, in clock ticks. */
    static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);   // fields 14 and 15 of stat(5)
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Nearest rank. */
    static double percentile(List<Double> sorted, int p) {
        return sorted.isEmpty() ? Double.NaN : sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    static long percentile(long[] sorted, int p) {
        return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    static String fmt(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    static String join(List<Double> values, int decimals) {
        return String.join(" ", values.stream().map(v -> fmt(v, decimals)).toList());
    }

    static void out(String key, Object value) {
        System.out.println(key + "\t" + value);
        System.out.flush();
    }
}
