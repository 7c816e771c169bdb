package io.slimjobs.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.slimjobs.demo.EmbeddedCluster;
import io.slimjobs.kube.ClusterConnection;

/**
 * Records the Kubernetes API calls SlimJobs' own client (known by its User-Agent) makes to the tests' API servers,
 * the kubelet's and the tests' own calls left out: each distinct method, path and watch flag once, written to
 * {@link #FOLDER} when the test JVM exits, for {@link RoleCoversApiCallsIT} to hold against the Role. The build
 * empties the folder before the tests run.
 */
public final class ApiCallRecorder implements EmbeddedCluster.RequestWitness {

    static final Path FOLDER = Path.of("target", "api-calls");

    private static final Set<String> CALLS = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ApiCallRecorder::write, "api-call-recorder"));
    }

    @Override
    public void served(RecordedRequest request) {
        if (ClusterConnection.USER_AGENT.equals(request.getHeader("User-Agent"))) {
            CALLS.add(ApiCall.line(request.getMethod(), request.getPath()));
        }
    }

    private static void write() {
        if (CALLS.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(FOLDER);
            Files.write(FOLDER.resolve("calls-" + ProcessHandle.current().pid() + ".txt"), CALLS,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
