package io.slimjobs.schedule;

import static io.slimjobs.SlimJobsTestSupport.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.slimjobs.Json;
import io.slimjobs.LogCapture;
import io.slimjobs.demo.EmbeddedCluster;
import io.slimjobs.kube.Labels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replicas backing the schedule ConfigMap up to their directory and restoring it, against the mock API server:
 * each check is run by hand, as the route `schedule-backup` runs it on its timer.
 */
class ScheduleBackupTest {

    private static final String NAMESPACE = "schedules";
    private static final String CONFIG_MAP = "slimjobs-schedules";
    private static final String FIBONACCI = "{\"Id\":\"7f0c\",\"Name\":\"fibonacci\",\"Schedule\":\"0 0 * * *\","
            + "\"TimeZone\":\"UTC\",\"Args\":[\"42\"],\"CreatedAt\":1764000000000}";
    /** Nested objects, a null and a decimal: whatever the store writes is kept as it is. */
    private static final String NIGHTLY = "{\"Name\":\"nightly\",\"Schedule\":\"30 2 * * *\","
            + "\"Resources\":{\"Requests\":{\"cpu\":\"200m\"}},\"Image\":null,\"Ratio\":0.10}";

    @TempDir
    Path directory;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        Collections.reverse(opened);
        for (AutoCloseable resource : opened) {
            resource.close();
        }
    }

    private EmbeddedCluster cluster() {
        EmbeddedCluster cluster = EmbeddedCluster.start(NAMESPACE, null);
        opened.add(cluster);
        return cluster;
    }

    /** A replica's backup against that cluster, started (which restores) and with its cache read. */
    private record Replica(ScheduleConfigMap configMap, ScheduleBackup backup, Path file) {

        void awaitCached(Map<String, String> schedules) {
            awaitUntil("the cache holds " + schedules.keySet(), () -> configMap.current()
                    .map(ScheduleConfigMap.State::data).orElse(Map.of()).equals(schedules));
        }

        void awaitNoConfigMap() {
            awaitUntil("the cache holds no ConfigMap", () -> configMap.current().isEmpty());
        }
    }

    private Replica replica(EmbeddedCluster cluster, Path backupDirectory) {
        ScheduleConfigMap configMap = new ScheduleConfigMap(cluster.client(), NAMESPACE, CONFIG_MAP, 0);
        ScheduleBackup backup = new ScheduleBackup(configMap,
                new ScheduleBackupSettings(backupDirectory, Duration.ofSeconds(60)));
        // as SlimJobs starts them: the cache first, then the backup (which restores)
        configMap.start();
        opened.add(configMap);
        backup.start();
        opened.add(backup::stop);
        awaitUntil("the schedule cache is read", configMap::hasSynced);
        return new Replica(configMap, backup, backupDirectory.resolve(ScheduleBackupFile.NAME));
    }

    /** A replica that has backed up a store holding these schedules. */
    private Replica backingUp(EmbeddedCluster cluster, Map<String, String> schedules) {
        store(cluster.client(), schedules);
        Replica replica = replica(cluster, directory);
        replica.awaitCached(schedules);
        replica.backup().check();
        return replica;
    }

    private static void store(KubernetesClient client, Map<String, String> schedules) {
        var configMaps = client.configMaps().inNamespace(NAMESPACE);
        if (configMaps.withName(CONFIG_MAP).get() == null) {
            configMaps.resource(new ConfigMapBuilder().withNewMetadata().withName(CONFIG_MAP).endMetadata()
                    .withData(schedules).build()).create();
        } else {
            configMaps.withName(CONFIG_MAP).edit(configMap -> new ConfigMapBuilder(configMap)
                    .withData(schedules.isEmpty() ? null : schedules).build());
        }
    }

    private static ConfigMap stored(KubernetesClient client) {
        return client.configMaps().inNamespace(NAMESPACE).withName(CONFIG_MAP).get();
    }

    /** The file's identity on disk: an atomic replacement gives the backup a new one. */
    private static Object identity(Path file) throws IOException {
        Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        assumeTrue(key != null, "this file system tells files apart by a key");
        return key;
    }

    private static JsonNode json(String text) throws IOException {
        return Json.MAPPER.readTree(text);
    }

    private static Map<String, JsonNode> parsed(Map<String, String> schedules) throws IOException {
        Map<String, JsonNode> parsed = new HashMap<>();
        for (var entry : schedules.entrySet()) {
            parsed.put(entry.getKey(), json(entry.getValue()));
        }
        return parsed;
    }

    /** The schedules in a backup file, by id. */
    private static Map<String, JsonNode> backedUp(Path file) throws IOException {
        Map<String, JsonNode> schedules = new LinkedHashMap<>();
        json(Files.readString(file)).get("Schedules").fields()
                .forEachRemaining(entry -> schedules.put(entry.getKey(), entry.getValue()));
        return schedules;
    }

    @Test
    void should_write_the_schedules_as_indented_json_with_ids_and_properties_sorted() throws Exception {
        EmbeddedCluster cluster = cluster();
        store(cluster.client(), Map.of("b-nightly", NIGHTLY, "a-fibonacci", FIBONACCI));
        Replica replica = replica(cluster, directory);
        replica.awaitCached(Map.of("b-nightly", NIGHTLY, "a-fibonacci", FIBONACCI));

        replica.backup().check();

        assertEquals("""
                {
                  "Schedules" : {
                    "a-fibonacci" : {
                      "Args" : [ "42" ],
                      "CreatedAt" : 1764000000000,
                      "Id" : "7f0c",
                      "Name" : "fibonacci",
                      "Schedule" : "0 0 * * *",
                      "TimeZone" : "UTC"
                    },
                    "b-nightly" : {
                      "Image" : null,
                      "Name" : "nightly",
                      "Ratio" : 0.10,
                      "Resources" : {
                        "Requests" : {
                          "cpu" : "200m"
                        }
                      },
                      "Schedule" : "30 2 * * *"
                    }
                  }
                }
                """, Files.readString(replica.file()));
    }

    @Test
    void should_rewrite_the_backup_only_when_the_schedules_change_even_across_a_restart() throws Exception {
        EmbeddedCluster cluster = cluster();
        Replica replica = backingUp(cluster, Map.of("a-fibonacci", FIBONACCI));
        Object written = identity(replica.file());

        replica.backup().check();
        assertEquals(written, identity(replica.file()), "the same schedules leave the file alone");

        replica.backup().stop();
        Replica restarted = replica(cluster, directory);
        restarted.backup().check();
        assertEquals(written, identity(restarted.file()), "a restart compares with the file, not with its memory");

        store(cluster.client(), Map.of("a-fibonacci", FIBONACCI, "b-nightly", NIGHTLY));
        restarted.awaitCached(Map.of("a-fibonacci", FIBONACCI, "b-nightly", NIGHTLY));
        restarted.backup().check();
        assertNotEquals(written, identity(restarted.file()), "a change replaces the file");
        assertEquals(List.of("a-fibonacci", "b-nightly"), List.copyOf(backedUp(restarted.file()).keySet()));
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(List.of(restarted.file()), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void should_restore_a_backup_into_the_empty_store_of_a_new_cluster() throws Exception {
        Map<String, String> schedules = Map.of("a-fibonacci", FIBONACCI, "b-nightly", NIGHTLY);
        Replica before = backingUp(cluster(), schedules);
        before.backup().stop();

        EmbeddedCluster fresh = cluster();
        try (LogCapture log = LogCapture.start()) {
            replica(fresh, directory);

            ConfigMap restored = stored(fresh.client());
            assertNotNull(restored, "the restore ran at start");
            assertEquals(parsed(schedules), parsed(restored.getData()));
            assertEquals(Labels.MANAGED_BY_VALUE, restored.getMetadata().getLabels().get(Labels.MANAGED_BY));
            assertTrue(log.lines().stream().anyMatch(line -> line.contains("INFO")
                    && line.contains("Restored 2 schedule(s) from " + before.file())), () -> String.join("\n",
                    log.lines()));
        }
    }

    @Test
    void should_restore_into_a_config_map_that_holds_no_schedules() throws Exception {
        Files.writeString(directory.resolve(ScheduleBackupFile.NAME), "{\"Schedules\": {\"a-fibonacci\": "
                + FIBONACCI + "}}");
        EmbeddedCluster cluster = cluster();
        store(cluster.client(), Map.of());

        replica(cluster, directory);

        assertEquals(parsed(Map.of("a-fibonacci", FIBONACCI)), parsed(stored(cluster.client()).getData()));
    }

    @Test
    void should_not_restore_over_a_store_that_holds_schedules_and_back_the_store_up_instead() throws Exception {
        Files.writeString(directory.resolve(ScheduleBackupFile.NAME), "{\"Schedules\": {\"a-fibonacci\": "
                + FIBONACCI + "}}");
        EmbeddedCluster cluster = cluster();
        store(cluster.client(), Map.of("b-nightly", NIGHTLY));

        Replica replica = replica(cluster, directory);
        replica.backup().check();

        assertEquals(Map.of("b-nightly", NIGHTLY), stored(cluster.client()).getData());
        assertEquals(Map.of("b-nightly", json(NIGHTLY)), backedUp(replica.file()));
    }

    @Test
    void should_never_overwrite_a_backup_with_a_store_found_empty() throws Exception {
        EmbeddedCluster cluster = cluster();
        Replica replica = backingUp(cluster, Map.of("a-fibonacci", FIBONACCI));
        byte[] backup = Files.readAllBytes(replica.file());
        Object written = identity(replica.file());

        cluster.client().configMaps().inNamespace(NAMESPACE).withName(CONFIG_MAP).delete();
        replica.awaitNoConfigMap();
        replica.backup().check();
        assertEquals(written, identity(replica.file()), "a ConfigMap gone keeps the backup");

        store(cluster.client(), Map.of());
        replica.awaitCached(Map.of());
        replica.backup().check();
        assertEquals(written, identity(replica.file()), "a new, empty ConfigMap keeps the backup");
        assertArrayEquals(backup, Files.readAllBytes(replica.file()));
    }

    @Test
    void should_empty_the_backup_when_the_last_schedule_is_deleted_from_the_store() throws Exception {
        EmbeddedCluster cluster = cluster();
        Replica replica = backingUp(cluster, Map.of("a-fibonacci", FIBONACCI));

        store(cluster.client(), Map.of());
        replica.awaitCached(Map.of());
        replica.backup().check();

        assertEquals(Map.of(), backedUp(replica.file()));
    }

    @Test
    void should_restore_once_when_two_replicas_restore_together() throws Exception {
        EmbeddedCluster cluster = cluster();
        Path first = Files.createDirectories(directory.resolve("first"));
        Path second = Files.createDirectories(directory.resolve("second"));
        Files.writeString(first.resolve(ScheduleBackupFile.NAME), "{\"Schedules\": {\"a-fibonacci\": " + FIBONACCI
                + "}}");
        Files.writeString(second.resolve(ScheduleBackupFile.NAME), "{\"Schedules\": {\"b-nightly\": " + NIGHTLY
                + "}}");
        // each round races two restores of different backups into a store of its own
        for (int round = 0; round < 10; round++) {
            String name = CONFIG_MAP + "-" + round;
            ScheduleConfigMap configMap = new ScheduleConfigMap(cluster.client(), NAMESPACE, name, 0);
            ScheduleRestore a = new ScheduleRestore(configMap, new ScheduleBackupFile(first));
            ScheduleRestore b = new ScheduleRestore(configMap, new ScheduleBackupFile(second));
            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<ScheduleRestore.Outcome> byA = CompletableFuture.supplyAsync(() -> race(together, a));
            CompletableFuture<ScheduleRestore.Outcome> byB = CompletableFuture.supplyAsync(() -> race(together, b));

            List<ScheduleRestore.Outcome> outcomes = List.of(byA.get(), byB.get());
            assertEquals(1, Collections.frequency(outcomes, ScheduleRestore.Outcome.RESTORED), outcomes::toString);
            assertEquals(1, Collections.frequency(outcomes, ScheduleRestore.Outcome.STORE_NOT_EMPTY),
                    outcomes::toString);
            Map<String, String> data = cluster.client().configMaps().inNamespace(NAMESPACE).withName(name).get()
                    .getData();
            assertEquals(byA.get() == ScheduleRestore.Outcome.RESTORED ? Map.of("a-fibonacci", json(FIBONACCI))
                    : Map.of("b-nightly", json(NIGHTLY)), parsed(data), "one backup, whole, and nothing else");
        }
    }

    private static ScheduleRestore.Outcome race(CyclicBarrier together, ScheduleRestore restore) {
        try {
            together.await();
            return restore.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> malformedBackups() {
        return Stream.of(
                Arguments.of("not JSON", "Unrecognized token 'not'"),
                Arguments.of("", "the file is empty"),
                Arguments.of("[]", "the file must hold a JSON object"),
                Arguments.of("{\"Schedules\": []}", "Schedules: must be a JSON object of schedules by id"),
                Arguments.of("{\"Schedules\": {\"a\": \"text\"}}", "Schedules.a: must be a JSON object"),
                Arguments.of("{\"Schedules\": {\"a b\": {}}}", "Schedules.a b: not a possible schedule id"),
                Arguments.of("{\"Schedule\": {\"a\": {}}}", "Schedule: unknown property"),
                Arguments.of("{\"Schedules\": {\"a\": {}, \"a\": {}}}", "Duplicate field 'a'"),
                Arguments.of("{\"Schedules\": {\"a\": {}}", "Unexpected end-of-input"));
    }

    @ParameterizedTest
    @MethodSource("malformedBackups")
    void should_log_an_error_restore_nothing_and_keep_a_malformed_backup(String content, String problem)
            throws Exception {
        Path file = Files.writeString(directory.resolve(ScheduleBackupFile.NAME), content);
        Object identity = identity(file);
        EmbeddedCluster cluster = cluster();

        try (LogCapture log = LogCapture.start()) {
            Replica replica = replica(cluster, directory);
            replica.backup().check();

            assertTrue(log.lines().stream().anyMatch(line -> line.contains("ERROR") && line.contains(file.toString())
                    && line.contains(problem)), () -> String.join("\n", log.lines()));
        }
        assertNull(stored(cluster.client()), "nothing restored");
        assertEquals(content, Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(identity, identity(file), "the empty store did not overwrite it");
    }

    @Test
    void should_warn_once_while_the_backup_cannot_be_written_and_write_it_once_it_can() throws Exception {
        Path notADirectory = Files.writeString(directory.resolve("backup"), "a file where the directory should be");
        EmbeddedCluster cluster = cluster();
        store(cluster.client(), Map.of("a-fibonacci", FIBONACCI));
        try (LogCapture log = LogCapture.start()) {
            Replica replica = replica(cluster, notADirectory);
            replica.awaitCached(Map.of("a-fibonacci", FIBONACCI));
            replica.backup().check();
            replica.backup().check();
            replica.backup().check();
            List<String> warnings = log.lines().stream().filter(line -> line.contains("WARN")
                    && line.contains(replica.file() + " cannot be written")).toList();
            assertEquals(1, warnings.size(), () -> String.join("\n", log.lines()));
            assertTrue(warnings.get(0).endsWith("Exception: " + notADirectory), "names the cause: " + warnings.get(0));

            Files.delete(notADirectory);
            replica.backup().check();
            assertTrue(Files.isRegularFile(replica.file()), "written once the directory can be made");
            assertTrue(log.lines().stream().anyMatch(line -> line.contains("is up to date again")));
        }
    }

    @Test
    void should_leave_out_a_schedule_that_is_not_a_json_object_and_say_so_once() throws Exception {
        EmbeddedCluster cluster = cluster();
        store(cluster.client(), Map.of("a-fibonacci", FIBONACCI, "broken", "{\"Name\":"));
        Replica replica;
        try (LogCapture log = LogCapture.start()) {
            replica = replica(cluster, directory);
            replica.awaitCached(Map.of("a-fibonacci", FIBONACCI, "broken", "{\"Name\":"));
            replica.backup().check();
            replica.backup().check();

            List<String> warnings = log.lines().stream().filter(line -> line.contains("WARN")
                    && line.contains("schedule broken is not a JSON object")).toList();
            assertEquals(1, warnings.size(), () -> String.join("\n", log.lines()));
        }
        assertEquals(Map.of("a-fibonacci", json(FIBONACCI)), backedUp(replica.file()));
    }
}
