package io.slimjobs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/** Starts `target/slimjobs.jar` as a user does, on a machine with no cluster configured unless the environment names one. */
public final class PackagedJar {

    private PackagedJar() {
    }

    /** Starts the jar with {@code home} as its home directory and its output, both streams, in {@code log}. */
    public static Process start(Path home, Path log, Map<String, String> environment) throws IOException {
        // the name resolution of the test JVM (pom.xml): the jar does no real DNS either
        String hostsFile = "-Djdk.net.hosts.file=" + System.getProperty("jdk.net.hosts.file");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                hostsFile, "-jar", "target/slimjobs.jar")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // a fresh machine: no kubeconfig, no in-cluster service account
        builder.environment().keySet().removeIf(key -> key.startsWith("KUBE") || key.startsWith("SlimFaas")
                || key.startsWith("SLIMFAAS") || key.startsWith("SLIMJOBS") || key.startsWith("SlimData")
                || key.startsWith("SLIMDATA"));
        builder.environment().put("HOME", home.toString());
        builder.environment().putAll(environment);
        return builder.start();
    }

    /**
     * Polls until {@code call} answers {@code status}, for up to two minutes (a JVM starting on a busy shared machine
     * has been seen to need more than one); a port not yet open counts as not yet.
     */
    public static void awaitAnswer(String what, Supplier<HttpCaller.Answer> call, int status)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (call.get().status() == status) {
                    return;
                }
            } catch (AssertionError notYetListening) {
                // the port opens once the routes are up
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting until " + what);
    }
}
