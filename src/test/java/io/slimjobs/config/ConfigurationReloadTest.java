package io.slimjobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.slimjobs.SlimJobsTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/** The configuration file is read again while SlimJobs runs, as a mounted ConfigMap is updated by the kubelet. */
class ConfigurationReloadTest extends SlimJobsTestSupport {

    private static final String CONFIGURATION = """
            {"Configurations": {
               "report": {"Image": "report:1", "Visibility": "Public", "NumberParallelJob": 2},
               "Default": {"Image": "busybox:1.36", "Visibility": "Public"}}}
            """;

    @Override
    protected String jobsConfiguration() {
        return CONFIGURATION;
    }

    @Override
    protected Map<String, String> properties() {
        return Map.of("slimjobs.config.reload-interval", "100");
    }

    /** Returns once the file has been read again: a valid version with a marker job applied. */
    private void awaitReread(String marker) {
        changeConfiguration(CONFIGURATION.replace("\"Default\"", "\"" + marker + "\": {\"Image\": \"m:1\"}, \"Default\""));
        awaitUntil(marker + " applied", () -> definitionsInForce().definitions().containsKey(marker));
    }

    @Test
    void should_apply_a_valid_change_without_a_restart() {
        assertEquals(202, post("/job/fresh", "").status());
        changeConfiguration("""
                {"Configurations": {
                   "report": {"Image": "report:2", "Visibility": "Public", "NumberParallelJob": 5},
                   "fresh": {"Image": "fresh:1", "Visibility": "Private"},
                   "Default": {"Image": "busybox:1.36", "Visibility": "Public"}}}
                """);

        awaitUntil("the change applied", () -> definitionsInForce().definitionFor("report").numberParallelJob() == 5);
        assertEquals("report:2", jobOf(trigger("report", "")).getSpec().getTemplate().getSpec().getContainers()
                .get(0).getImage());
        assertEquals(403, post("/job/fresh", "").status(), "fresh is configured Private now");
        assertEquals(1, logLines("changed: its definitions are in force").size());
    }

    @Test
    void should_refuse_an_invalid_change_whole_say_every_problem_once_and_keep_the_definitions_in_force() {
        String broken = """
                {"Configurations": {
                   "report": {"Image": "report:2", "Visibility": "Public", "NumberParallelJob": 0},
                   "fresh": {"Image": "fresh:1", "Visibility": "Public"},
                   "other": {"Image": "o:1", "Resources": {"Limits": {"cpu": "lots"}}},
                   "Default": {"Image": "busybox:1.36", "Visibility": "Public"}}}
                """;
        changeConfiguration(broken);
        awaitUntil("the refusal said", () -> !logLines("is refused whole").isEmpty());
        // the same broken content read again, then swapped in again unchanged and read again
        awaitReads(5);
        changeConfiguration(broken);
        awaitReads(5);

        List<String> refusals = logLines("is refused whole");
        assertEquals(1, refusals.size(), () -> String.join("\n", refusals));
        assertTrue(refusals.get(0).contains("ERROR")
                && refusals.get(0).contains("Configurations.report.NumberParallelJob: 0 is below 1")
                && refusals.get(0).contains("Configurations.other.Resources.Limits.cpu"), refusals.get(0));
        assertFalse(definitionsInForce().definitions().containsKey("fresh"), "not even its valid entries apply");
        assertEquals("report:1", definitionsInForce().definitionFor("report").image());
        assertEquals(2, definitionsInForce().definitionFor("report").numberParallelJob());

        awaitReread("marker");
        assertEquals(1, logLines("is refused whole").size());
    }

    @Test
    void should_keep_the_definitions_while_the_file_cannot_be_read() {
        removeConfiguration();
        awaitUntil("the missing file said", () -> !logLines("cannot be read").isEmpty());
        awaitReads(5);

        assertEquals(1, logLines("cannot be read").size(), "said once");
        assertEquals(2, definitionsInForce().definitionFor("report").numberParallelJob());
        assertEquals("report:1", definitionsInForce().definitionFor("report").image());

        awaitReread("marker");
        assertEquals(2, definitionsInForce().definitionFor("report").numberParallelJob());
    }

    /** Waits until the `config-reload` route has read the file that many more times. */
    private void awaitReads(int reads) {
        NotifyBuilder read = new NotifyBuilder(context).fromRoute("config-reload").whenDone(reads).create();
        assertTrue(read.matches(15, TimeUnit.SECONDS), "the file is read every interval");
    }
}
