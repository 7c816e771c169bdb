package io.slimjobs.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.kube.Labels;
import org.junit.jupiter.api.Test;

/**
 * The queue is ordered by enqueue time, whatever the object names say. Left in the cluster before SlimJobs starts:
 * three executions whose names sort in the reverse of their enqueue order, and one whose enqueue time was edited
 * into something unreadable, created last.
 */
class QueueOrderTest extends SlimJobsTestSupport {

    private static final String CONFIGURATION = """
            {"Configurations": {"single": {"Image": "busybox:1.36", "Visibility": "Public", "NumberParallelJob": 1}}}
            """;

    /** Ids in enqueue order; their object names sort the other way round. */
    private final List<String> enqueued = new ArrayList<>();
    private String unreadable;
    private Instant unreadableCreated;

    @Override
    protected String jobsConfiguration() {
        return CONFIGURATION;
    }

    @Override
    protected void doPreSetup() throws Exception {
        super.doPreSetup();
        var triggered = jobsAsTriggered("single", Instant.parse("2020-01-01T00:00:00Z"));
        for (String id : List.of("ccc00000-0000-0000-0000-000000000000", "bbb00000-0000-0000-0000-000000000000",
                "aaa00000-0000-0000-0000-000000000000")) {
            kube().batch().v1().jobs().inNamespace(namespace).resource(triggered.apply(id)).create();
            enqueued.add(id);
        }
        unreadable = "000aaaaa-0000-0000-0000-000000000000";
        Job edited = new JobBuilder(triggered.apply(unreadable)).editMetadata()
                .addToAnnotations(Labels.ENQUEUED_AT, "yesterday").endMetadata().build();
        unreadableCreated = Instant.parse(kube().batch().v1().jobs().inNamespace(namespace).resource(edited).create()
                .getMetadata().getCreationTimestamp());
    }

    @Test
    void should_queue_by_enqueue_time_not_by_name_and_an_unreadable_enqueue_time_by_creation_time() {
        List<String> expected = new ArrayList<>(enqueued);
        expected.add(unreadable);
        assertTrue(objectName(expected.get(0)).compareTo(objectName(expected.get(1))) > 0, "names sort in reverse");

        awaitUntil("oldest released", () -> statusOf("single", expected.get(0)).equals("Running"));
        List<String> queued = new ArrayList<>();
        for (JsonNode execution : get("/job/single").json()) {
            if (execution.get("Status").asText().equals("Queued")) {
                queued.add(execution.get("Id").asText());
                assertEquals(queued.size(), execution.get("PositionInQueue").asInt());
                if (execution.get("Id").asText().equals(unreadable)) {
                    assertEquals(unreadableCreated.toEpochMilli(), execution.get("InQueueTimestamp").asLong());
                }
            }
        }
        assertEquals(expected.subList(1, 4), queued);
    }

    private String objectName(String id) {
        return jobOf(id).getMetadata().getName();
    }
}
