package io.slimjobs;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slimjobs.HttpCaller.Answer;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts `target/slimjobs.jar` the way the README does, on a machine with no cluster configured, and walks
 * the quick start: the embedded demo cluster, the sample `fibonacci` job, a run to completion.
 */
class PackagedJarIT {

    /** How the JVM itself, outside any logger, starts its warnings (Java 24+ on Netty's use of sun.misc.Unsafe). */
    private static final String JVM_WARNING = "WARNING: ";

    @TempDir
    Path home;
    private Process process;
    private Path log;
    private HttpCaller http;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private Process start(Map<String, String> environment) throws IOException {
        log = home.resolve("slimjobs.log");
        process = PackagedJar.start(home, log, environment);
        return process;
    }

    /** Starts the jar on a free port, with executions lasting half a second, and triggers the sample job: its Id. */
    private String startAndTriggerFibonacci(Map<String, String> environment) throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        Map<String, String> withPort = new java.util.HashMap<>(environment);
        withPort.put("SLIMJOBS_HTTP_PORT", String.valueOf(port));
        withPort.put("SLIMJOBS_EMBEDDED_RUN_DURATION", "500");
        start(withPort);
        http = new HttpCaller(port);
        PackagedJar.awaitAnswer("the service is ready", () -> http.call(HttpCaller.OUTSIDER, "GET", "/ready", Map.of(), null), 200);

        Answer triggered = http.call(HttpCaller.OUTSIDER, "POST", "/job/fibonacci",
                Map.of("Content-Type", "application/x-www-form-urlencoded"), "{\"Args\":[\"42\"]}");
        assertEquals(202, triggered.status(), triggered::toString);
        return triggered.json().get("Id").asText();
    }

    @Test
    void should_run_the_quick_start_on_the_embedded_demo_cluster() throws Exception {
        String id = startAndTriggerFibonacci(Map.of());

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String status = "";
        while (!status.equals("Succeeded") && System.nanoTime() < deadline) {
            Answer listed = http.call(HttpCaller.OUTSIDER, "GET", "/job/fibonacci", Map.of(), null);
            status = listed.json().findValuesAsText("Status").stream().findFirst().orElse("");
            assertEquals(id, listed.json().get(0).get("Id").asText());
            Thread.sleep(100);
        }
        assertEquals("Succeeded", status, () -> "the demo execution did not complete:\n" + logText());
        Answer metrics = http.call(HttpCaller.OUTSIDER, "GET", "/metrics", Map.of(), null);
        assertEquals(200, metrics.status(), metrics::toString);
        MetricSamples samples = MetricSamples.parse(metrics.body());
        assertTrue(samples.names().contains("jvm_memory_used_bytes"), "JVM metrics are bound in the packaged jar too");
        assertEquals(1, samples.count("slimjobs_releases_total", "job_name", "fibonacci"));
        assertTrue(logText().contains("EMBEDDED DEMO CLUSTER"), "the log says loudly that this is a demo");
        assertFalse(logText().contains("config-reload"), "the demo's sample configuration is not watched");
        assertTrue(logText().lines().anyMatch(line -> line.matches(
                "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO DecisionLog - Job fibonacci execution " + id
                        + " queued .*")), () -> "the default log is text:\n" + logText());
    }

    @Test
    void should_log_only_json_lines_with_the_decision_fields_when_the_log_format_is_json() throws Exception {
        String id = startAndTriggerFibonacci(Map.of("SLIMJOBS_LOG_FORMAT", "json"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!logText().contains("\"decision\":\"finished\"") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        stop();

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith(JVM_WARNING)) {
                continue;
            }
            lines.add(assertDoesNotThrow(() -> json.readTree(line), () -> "not JSON: " + line));
        }
        assertTrue(lines.size() > 10, this::logText);
        for (String decision : List.of("queued", "released", "finished")) {
            List<JsonNode> told = lines.stream()
                    .filter(line -> decision.equals(line.path("mdc").path("decision").asText())).toList();
            assertEquals(1, told.size(), () -> decision + " once:\n" + logText());
            JsonNode line = told.get(0);
            assertEquals("fibonacci", line.path("mdc").path("job_name").asText(), line::toString);
            assertEquals(id, line.path("mdc").path("execution_id").asText(), line::toString);
            assertEquals("io.slimjobs.observe.DecisionLog", line.path("loggerName").asText(), line::toString);
            assertEquals("INFO", line.path("level").asText(), line::toString);
            assertTrue(line.path("formattedMessage").asText().startsWith("Job fibonacci execution " + id + " " + decision),
                    line::toString);
        }
    }

    @Test
    void should_refuse_to_start_with_an_unknown_log_format() throws Exception {
        assertRefusesToStart(Map.of("SLIMJOBS_LOG_FORMAT", "xml"),
                "slimjobs.log.format (environment variable SLIMJOBS_LOG_FORMAT) must be text or json, not \"xml\"");
    }

    @Test
    void should_run_a_job_from_a_user_route_in_the_routes_folder() throws Exception {
        Path routes = Files.createDirectories(home.resolve("routes"));
        Files.writeString(routes.resolve("hourly-fibonacci.camel.yaml"), """
                - route:
                    id: hourly-fibonacci
                    from:
                      uri: timer:hourly-fibonacci
                      parameters:
                        period: 3600000
                      steps:
                        - setHeader:
                            name: slimjobs-job
                            constant: fibonacci
                        - setBody:
                            constant: '{"Args": ["10"]}'
                        - to: direct:run-job
                        - log: "hourly-fibonacci queued execution ${header.slimjobs-execution-id}"
                """);
        int port = AvailablePortFinder.getNextAvailable();
        start(Map.of("SLIMJOBS_HTTP_PORT", String.valueOf(port), "SLIMJOBS_ROUTES_DIR", routes.toString()));
        HttpCaller http = new HttpCaller(port);
        PackagedJar.awaitAnswer("the service is ready", () -> http.call(HttpCaller.OUTSIDER, "GET", "/ready", Map.of(), null), 200);

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!logText().contains("hourly-fibonacci queued execution") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        // the trigger waits up to 2 s for its Job in the cache; on a loaded machine the listing may show it later
        Answer listed = http.call(HttpCaller.OUTSIDER, "GET", "/job/fibonacci", Map.of(), null);
        while (listed.json().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            listed = http.call(HttpCaller.OUTSIDER, "GET", "/job/fibonacci", Map.of(), null);
        }
        assertEquals(1, listed.json().size(), listed::toString);
        assertTrue(logText().contains("hourly-fibonacci queued execution " + listed.json().get(0).get("Id").asText()),
                this::logText);
    }

    @Test
    void should_read_the_environment_variable_and_neither_read_nor_watch_the_file_when_both_are_set() throws Exception {
        Path file = Files.writeString(home.resolve("jobs.json"),
                "{\"Configurations\": {\"fibonacci\": {\"Image\": \"from-file:1\", \"Visibility\": \"Public\"}}}");
        int port = AvailablePortFinder.getNextAvailable();
        start(Map.of("SLIMJOBS_HTTP_PORT", String.valueOf(port), "SLIMJOBS_CONFIG_FILE", file.toString(),
                "SLIMJOBS_CONFIG_RELOAD_INTERVAL", "100", "SlimFaas__JobsConfiguration",
                "{\"Configurations\": {\"fibonacci\": {\"Image\": \"from-env:1\", \"Visibility\": \"Public\"}}}"));
        HttpCaller http = new HttpCaller(port);
        PackagedJar.awaitAnswer("the service is ready", () -> http.call(HttpCaller.OUTSIDER, "GET", "/ready", Map.of(), null), 200);

        Answer status = http.call(HttpCaller.OUTSIDER, "GET", "/jobs/status", Map.of(), null);
        assertEquals(List.of("from-env:1"), status.json().findValuesAsText("Image").stream()
                .filter(image -> image.startsWith("from-")).toList());
        assertTrue(logText().contains("WARN JobsConfigurationLoader - The jobs configuration comes from the environment "
                + "variable SlimFaas__JobsConfiguration, which is set: the file " + file
                + " is ignored and not watched for changes"), this::logText);
        assertFalse(logText().contains("config-reload"), "no route reads the file");
    }

    @Test
    void should_refuse_to_start_with_a_broken_configuration_file_and_say_where() throws Exception {
        Path file = Files.writeString(home.resolve("jobs.json"),
                "{\"Configurations\": {\"fibonacci\": {\"NumberParallelJob\": 0}}}");
        assertRefusesToStart(Map.of("SLIMJOBS_CONFIG_FILE", file.toString()),
                "the jobs configuration in file " + file + " is invalid");
    }

    @Test
    void should_restore_and_back_up_the_schedules_in_the_directory_slimfaas_variable_names() throws Exception {
        Path backupDirectory = Files.createDirectories(home.resolve("backup"));
        Path backup = backupDirectory.resolve("schedule-jobs-backup.json");
        Files.writeString(backup,
                "{\"Schedules\": {\"a-fibonacci\": {\"Schedule\": \"0 0 * * *\", \"Name\": \"fibonacci\"}}}");
        start(Map.of("SLIMJOBS_HTTP_PORT", String.valueOf(AvailablePortFinder.getNextAvailable()),
                "SlimData__BackupDirectory", backupDirectory.toString(), "SlimData__BackupIntervalSeconds", "1"));

        // restored into the demo cluster, then written back in SlimJobs' own layout by the periodic backup
        String rewritten = """
                {
                  "Schedules" : {
                    "a-fibonacci" : {
                      "Name" : "fibonacci",
                      "Schedule" : "0 0 * * *"
                    }
                  }
                }
                """;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.readString(backup).equals(rewritten) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(rewritten, Files.readString(backup), this::logText);
        assertTrue(logText().contains("Restored 1 schedule(s) from " + backup), this::logText);
    }

    @Test
    void should_refuse_to_start_with_a_backup_interval_that_is_not_a_number() throws Exception {
        assertRefusesToStart(Map.of("SlimData__BackupDirectory", home.resolve("backup").toString(),
                "SlimData__BackupIntervalSeconds", "1m"), "environment variable SlimData__BackupIntervalSeconds must "
                + "be a whole number of seconds (at most 2147483647), not \"1m\"");
    }

    @Test
    void should_refuse_to_start_with_a_broken_configuration_and_say_where() throws Exception {
        assertRefusesToStart(Map.of("SlimFaas__JobsConfiguration",
                "{\"Configurations\": {\"fibonacci\": {\"NumberParallelJob\": 0}}}"),
                "Configurations.fibonacci.NumberParallelJob");
    }

    @Test
    void should_refuse_to_start_with_a_misspelt_property_naming_the_nearest_known_one() throws Exception {
        assertRefusesToStart(Map.of("SlimFaas__JobsConfiguration",
                "{\"Configurations\": {\"fibonacci\": {\"Visiblity\": \"Public\", \"NumberParalelJob\": 5}}}"),
                "Configurations.fibonacci.Visiblity: unknown property; did you mean Visibility?");
    }

    @Test
    void should_refuse_to_start_without_a_cluster_when_the_embedded_one_is_disabled() throws Exception {
        assertRefusesToStart(Map.of("SLIMJOBS_EMBEDDED_CLUSTER", "false"), "No Kubernetes cluster is configured");
    }

    @Test
    void should_refuse_to_start_with_a_malformed_trusted_range_after_opening_the_demo_cluster() throws Exception {
        assertRefusesToStart(Map.of("SLIMJOBS_TRUSTED_CIDRS", "10.0.0.0/33"), "10.0.0.0/33");
    }

    @Test
    void should_refuse_to_start_when_the_http_port_is_taken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            assertRefusesToStart(Map.of("SLIMJOBS_HTTP_PORT", String.valueOf(port)),
                    "HTTP port " + port + " is already in use");
        }
    }

    @Test
    void should_refuse_to_start_with_a_kubeconfig_that_does_not_exist_and_name_it() throws Exception {
        assertRefusesToStart(Map.of("KUBECONFIG", "/nonexistent"), "/nonexistent does not exist");
    }

    private void assertRefusesToStart(Map<String, String> environment, String reason) throws Exception {
        Map<String, String> withPort = new java.util.HashMap<>(environment);
        withPort.putIfAbsent("SLIMJOBS_HTTP_PORT", String.valueOf(AvailablePortFinder.getNextAvailable()));
        start(withPort);

        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the process stops by itself");
        assertNotEquals(0, process.exitValue());
        assertTrue(logText().contains(reason), this::logText);
    }

    private String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
