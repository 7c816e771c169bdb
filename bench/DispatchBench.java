import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dispatch latency: how long after a running execution finishes the next queued one is released. Queues a
 * burst of executions of a job with a small NumberParallelJob, watches its Jobs on the API server and pairs the
 * k-th completion with the (cap + k)-th release: each completion frees the one slot that release takes. Both
 * moments are seen on the same watch, so its own delay cancels out.
 *
 * <p>Usage: {@code java bench/DispatchBench.java <service port> <API server URL> <job> <cap> <executions>};
 * prints {@code key value} lines.
 */
public final class DispatchBench {

    private static final Pattern CONDITION = Pattern.compile("\\{[^{}]*\"type\":\"Complete\"[^{}]*}");

    private static final Map<String, Long> released = new ConcurrentHashMap<>();
    private static final Map<String, Long> completed = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String api = args[1].replaceAll("/$", "");
        String job = args[2];
        int cap = Integer.parseInt(args[3]);
        int executions = Integer.parseInt(args[4]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        watch(http, api, job);   // open before the first Job exists

        for (int i = 0; i < executions; i++) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/job/" + job))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 202) {
                throw new IllegalStateException("trigger answered " + answer.statusCode() + ": " + answer.body());
            }
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (completed.size() < executions) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + completed.size() + " of " + executions + " completed");
            }
            Thread.sleep(50);
        }

        List<Long> releases = new ArrayList<>(released.values());
        List<Long> completions = new ArrayList<>(completed.values());
        Collections.sort(releases);
        Collections.sort(completions);
        List<Double> latencies = new ArrayList<>();
        for (int k = 0; cap + k < releases.size(); k++) {
            latencies.add((releases.get(cap + k) - completions.get(k)) / 1e6);
        }
        Collections.sort(latencies);
        System.out.printf("dispatch_count %d%n", latencies.size());
        System.out.printf("dispatch_p50_ms %.1f%n", percentile(latencies, 50));
        System.out.printf("dispatch_p90_ms %.1f%n", percentile(latencies, 90));
        System.out.printf("dispatch_p99_ms %.1f%n", percentile(latencies, 99));
        System.out.printf("dispatch_max_ms %.1f%n", latencies.get(latencies.size() - 1));
    }

    /**
     * Records, per Job, when the watch first showed it released and when it first showed it complete. The
     * embedded API server serves watches over a WebSocket, one event per message.
     */
    private static void watch(HttpClient http, String api, String job) {
        // the Job's own name: the job name and twelve hex digits of the execution Id
        Pattern name = Pattern.compile("\"name\":\"(" + Pattern.quote(job) + "-[0-9a-f]{12})\"");
        URI uri = URI.create(api.replaceFirst("^http", "ws")
                + "/apis/batch/v1/namespaces/default/jobs?watch=true&labelSelector=slimjobs.io%2Fjob%3D" + job);
        http.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder message = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence part, boolean last) {
                message.append(part);
                if (last) {
                    record(name, message.toString(), System.nanoTime());
                    message.setLength(0);
                }
                socket.request(1);
                return null;
            }
        }).join();
    }

    private static void record(Pattern name, String event, long now) {
        Matcher found = name.matcher(event);
        if (!found.find()) {
            return;
        }
        if (event.contains("\"suspend\":false")) {
            released.putIfAbsent(found.group(1), now);
        }
        Matcher condition = CONDITION.matcher(event);
        if (condition.find() && condition.group().contains("\"status\":\"True\"")) {
            completed.putIfAbsent(found.group(1), now);
        }
    }

    /** Nearest rank. */
    private static double percentile(List<Double> sorted, int p) {
        return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
