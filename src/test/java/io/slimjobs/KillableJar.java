package io.slimjobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.test.AvailablePortFinder;

/**
 * `target/slimjobs.jar` started, killed without a word and started again, one process at a time, each start with its
 * own log in the home directory.
 */
public final class KillableJar implements AutoCloseable {

    private final Path home;
    private final Map<String, String> environment;
    private final List<String> starts = new ArrayList<>();
    private Process process;

    public KillableJar(Path home, Map<String, String> environment) {
        this.home = home;
        this.environment = environment;
    }

    /** Starts the jar on a free port, its log named after {@code name}, and waits until it is ready. */
    public HttpCaller start(String name) throws IOException, InterruptedException {
        int port = AvailablePortFinder.getNextAvailable();
        Map<String, String> withPort = new HashMap<>(environment);
        withPort.put("SLIMJOBS_HTTP_PORT", String.valueOf(port));
        starts.add(name);
        process = PackagedJar.start(home, log(name), withPort);
        HttpCaller http = new HttpCaller(port);
        PackagedJar.awaitAnswer(name + " ready", () -> http.call(HttpCaller.OUTSIDER, "GET", "/ready", Map.of(), null),
                200);
        return http;
    }

    /** SIGKILL: no shutdown hook runs, nothing in flight is finished, given back or committed. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** The log of every start, in order, for a failure's message. */
    public String logs() {
        StringBuilder text = new StringBuilder();
        for (String name : starts) {
            text.append("--- ").append(name).append(":\n");
            try {
                text.append(Files.readString(log(name)));
            } catch (IOException e) {
                text.append("(no log: ").append(e).append(")\n");
            }
        }
        return text.toString();
    }

    private Path log(String name) {
        return home.resolve(name + ".log");
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
