package io.slimjobs.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.slimjobs.SlimJobsTestSupport;
import org.junit.jupiter.api.Test;

/** What a previous replica left in the cluster is the queue: a new one takes it over without loss or excess. */
class RestartRecoveryTest extends SlimJobsTestSupport {

    private static final String CONFIGURATION = """
            {"Configurations": {"pair": {"Image": "busybox:1.36", "Visibility": "Public", "NumberParallelJob": 2}}}
            """;

    private final List<String> queuedBefore = new ArrayList<>();
    private String runningBefore;

    @Override
    protected String jobsConfiguration() {
        return CONFIGURATION;
    }

    /** Before SlimJobs starts: one execution running and three queued, as a stopped replica left them. */
    @Override
    protected void doPreSetup() throws Exception {
        super.doPreSetup();
        var triggered = jobsAsTriggered("pair", Instant.parse("2026-01-01T00:00:00Z"));
        for (int i = 0; i < 4; i++) {
            String id = UUID.randomUUID().toString();
            Job job = triggered.apply(id);
            if (i == 0) {
                runningBefore = id;
                job = new JobBuilder(job).editSpec().withSuspend(false).endSpec().build();
            } else {
                queuedBefore.add(id);
            }
            kube().batch().v1().jobs().inNamespace(namespace).resource(job).create();
        }
    }

    @Test
    void should_take_over_the_queue_a_previous_replica_left() {
        awaitUntil("the oldest queued execution released",
                () -> statusOf("pair", queuedBefore.get(0)).equals("Running"));
        assertEquals("Running", statusOf("pair", runningBefore));

        JsonNode listed = get("/job/pair").json();
        List<String> stillQueued = new ArrayList<>();
        for (JsonNode execution : listed) {
            if (execution.get("Status").asText().equals("Queued")) {
                stillQueued.add(execution.get("Id").asText());
                assertEquals(stillQueued.size(), execution.get("PositionInQueue").asInt());
            }
        }
        assertEquals(queuedBefore.subList(1, 3), stillQueued, "the rest wait, in their original order");
        assertEquals(4, jobs().size(), "nothing is created twice");
    }
}
