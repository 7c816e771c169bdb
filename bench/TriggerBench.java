import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP load for bench/run.sh, against a SlimJobs on 127.0.0.1 (no dependencies; run with the source launcher):
 *
 * <pre>java bench/TriggerBench.java PORT [WARMUP SEQUENTIAL CLIENTS CONCURRENT LISTS]</pre>
 *
 * Phases, in order: WARMUP unmeasured triggers (the first one's time is printed: it pays for class loading and JIT
 * of the whole trigger path), LISTS timed {@code GET /job/fibonacci} over those few executions, SEQUENTIAL timed
 * triggers one after another, CONCURRENT triggers spread over CLIENTS threads, then LISTS timed listings again once
 * all those executions exist. Prints {@code key value} lines for the script to parse. Every phase stops at its count
 * or at a shared deadline, whichever comes first.
 */
public class TriggerBench {

    static final Duration DEADLINE = Duration.ofSeconds(100); // whole program: run.sh runs it twice within its 5 minutes
    static final long END = System.nanoTime() + DEADLINE.toNanos();

    // HTTP/1.1 explicitly: the default (HTTP/2) would send h2c upgrade headers on every new connection.
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    static URI jobUri;

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int warmup = arg(args, 1, 50), sequential = arg(args, 2, 500), clients = arg(args, 3, 8),
                concurrent = arg(args, 4, 2000), lists = arg(args, 5, 100);
        jobUri = URI.create("http://127.0.0.1:" + port + "/job/fibonacci");

        // warm-up: excluded from the percentiles, but the very first trigger is worth knowing
        long t0 = System.nanoTime();
        int errors = trigger() ? 0 : 1;
        out("first_trigger_ms", ms(System.nanoTime() - t0));
        for (int i = 1; i < warmup && beforeDeadline(); i++) {
            errors += trigger() ? 0 : 1;
        }
        out("warmup_errors", errors);
        // listing while the job has only the warm-up executions: the baseline for the listing at the end
        list("list_small", lists);

        // sequential: one request in flight, so this is the latency of the trigger path alone
        long[] lat = new long[sequential];
        int n = 0;
        errors = 0;
        while (n < sequential && beforeDeadline()) {
            long s = System.nanoTime();
            errors += trigger() ? 0 : 1;
            lat[n++] = System.nanoTime() - s;
        }
        report("seq", Arrays.copyOf(lat, n), errors);

        // concurrent: CLIENTS threads draw from one shared budget of CONCURRENT triggers
        AtomicInteger budget = new AtomicInteger(concurrent), failed = new AtomicInteger(), done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            workers.add(pool.submit(() -> {
                while (budget.getAndDecrement() > 0 && beforeDeadline()) {
                    if (!trigger()) {
                        failed.incrementAndGet();
                    }
                    done.incrementAndGet();
                }
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        out("conc_clients", clients);
        out("conc_count", done.get());
        out("conc_errors", failed.get());
        out("conc_seconds", String.format("%.2f", seconds));
        out("conc_per_second", String.format("%.0f", done.get() / seconds));

        // listing again, now that every trigger above is an execution of the same job
        list("list", lists);
    }

    /** LISTS timed {@code GET /job/fibonacci}; the body holds every execution, so its size is printed too. */
    static void list(String phase, int lists) {
        long[] lat = new long[lists];
        int n = 0, errors = 0, size = 0, bytes = 0;
        while (n < lists && beforeDeadline()) {
            long s = System.nanoTime();
            HttpResponse<String> r = send(HttpRequest.newBuilder(jobUri).GET());
            lat[n++] = System.nanoTime() - s;
            if (r == null || r.statusCode() != 200) {
                errors++;
            } else {
                size = countOccurrences(r.body(), "\"Id\":");
                bytes = r.body().length();
            }
        }
        out(phase + "_executions", size);
        out(phase + "_body_kib", bytes / 1024);
        report(phase, Arrays.copyOf(lat, n), errors);
    }

    /** One {@code POST /job/fibonacci}; true when it was accepted (202). */
    static boolean trigger() {
        HttpResponse<String> r = send(HttpRequest.newBuilder(jobUri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"Args\":[\"42\"]}")));
        return r != null && r.statusCode() == 202;
    }

    /** A failed exchange (timeout, refused connection) counts as an error, it does not end the run. */
    static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    static void report(String phase, long[] nanos, int errors) {
        Arrays.sort(nanos);
        out(phase + "_count", nanos.length);
        out(phase + "_errors", errors);
        if (nanos.length > 0) {
            out(phase + "_p50_ms", ms(percentile(nanos, 50)));
            out(phase + "_p95_ms", ms(percentile(nanos, 95)));
            out(phase + "_p99_ms", ms(percentile(nanos, 99)));
            out(phase + "_max_ms", ms(nanos[nanos.length - 1]));
        }
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    static boolean beforeDeadline() {
        return System.nanoTime() < END;
    }

    static int countOccurrences(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            count++;
        }
        return count;
    }

    static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }

    static String ms(long nanos) {
        return String.format("%.1f", nanos / 1e6);
    }

    static void out(String key, Object value) {
        System.out.println(key + " " + value);
    }
}
