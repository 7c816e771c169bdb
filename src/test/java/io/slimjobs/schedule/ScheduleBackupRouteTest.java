package io.slimjobs.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.slimjobs.SlimJobsTestSupport;
import org.junit.jupiter.api.Test;

/** The whole application with a backup directory that already holds a backup, checked every second. */
class ScheduleBackupRouteTest extends SlimJobsTestSupport {

    private static final String FIBONACCI = "{\"Name\":\"fibonacci\",\"Schedule\":\"0 0 * * *\",\"Args\":[\"42\"]}";
    private static final String NIGHTLY = "{\"Name\":\"nightly\",\"Schedule\":\"30 2 * * *\"}";

    private Path backupDirectory;

    @Override
    protected void doPreSetup() throws Exception {
        backupDirectory = Files.createTempDirectory("slimjobs-backup-");
        Files.writeString(backupDirectory.resolve(ScheduleBackupFile.NAME),
                "{\"Schedules\": {\"a-fibonacci\": " + FIBONACCI + "}}");
        super.doPreSetup();
    }

    @Override
    protected Map<String, String> properties() {
        return Map.of("slimjobs.schedules.backup-directory", backupDirectory.toString(),
                "slimjobs.schedules.backup-interval", "1");
    }

    @Override
    protected void doPostTearDown() throws Exception {
        super.doPostTearDown();
        try (Stream<Path> files = Files.walk(backupDirectory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Test
    void should_restore_the_backup_before_serving_and_back_each_change_up_from_its_route() {
        // the restore runs while the application starts, before any route does
        ConfigMap restored = kube().configMaps().inNamespace(namespace).withName("slimjobs-schedules").get();
        assertNotNull(restored, "restored at start");
        assertEquals(Map.of("a-fibonacci", FIBONACCI), restored.getData());
        assertNotNull(context.getRoute("schedule-backup"));

        kube().configMaps().inNamespace(namespace).withName("slimjobs-schedules")
                .edit(configMap -> new ConfigMapBuilder(configMap).addToData("b-nightly", NIGHTLY).build());

        awaitUntil("the new schedule is backed up", () -> backup().contains("\"b-nightly\""));
    }

    private String backup() {
        try {
            return Files.readString(backupDirectory.resolve(ScheduleBackupFile.NAME));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
