package io.slimjobs.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.kube.Labels;
import org.junit.jupiter.api.Test;

/**
 * An execution whose image cannot be pulled keeps its slot until the image-pull timeout, then Kubernetes fails it.
 * The periodic resync is out of reach here, so only pod events and the dispatcher's own re-check can get it there:
 * the timeout is long enough that the pod's last event (ImagePullBackOff) comes before it, even though the API server
 * keeps creation times to the second.
 */
class ImagePullTimeoutTest extends SlimJobsTestSupport {

    @Override
    protected String jobsConfiguration() {
        return """
                {"Configurations": {"single": {"Image": "busybox:1.36", "ImagesWhitelist": ["busybox:*"],
                                               "Visibility": "Public", "NumberParallelJob": 1}}}
                """;
    }

    @Override
    protected Map<String, String> properties() {
        return Map.of("slimjobs.image-pull-timeout", "2500", "slimjobs.dispatcher.resync-interval", "600000");
    }

    @Test
    void should_fail_an_execution_whose_image_is_not_pulled_in_time_and_free_its_slot_only_once_failed() {
        try (ReleaseObserver observer = new ReleaseObserver(kube(), namespace, name -> name)) {
            kubelet().refusePull("busybox:missing");
            String stalled = trigger("single", "{\"Image\": \"busybox:missing\"}");
            String next = trigger("single", "");

            awaitUntil("stalled execution failed", () -> statusOf("single", stalled).equals("Failed"));

            JsonNode listed = executionOf(stalled);
            String reason = listed.get("Reason").asText();
            assertTrue(reason.contains("busybox:missing") && reason.contains("2.5 s")
                    && (reason.contains("ImagePullBackOff") || reason.contains("ErrImagePull")), reason);
            Job job = jobOf(stalled);
            assertEquals(1L, job.getSpec().getActiveDeadlineSeconds());
            assertEquals(reason, job.getMetadata().getAnnotations().get(Labels.FAILURE_REASON));
            assertEquals("DeadlineExceeded", job.getStatus().getConditions().stream()
                    .filter(c -> "Failed".equals(c.getType())).findFirst().orElseThrow().getReason());
            awaitUntil("next released", () -> observer.releaseOrder().contains(next));
            List<String> history = observer.history();
            assertTrue(history.indexOf("finished:" + stalled) < history.indexOf("released:" + next),
                    "the slot is held until the Job shows Failed: " + history);
            assertEquals(1, observer.mostActiveAtOnce("single"));
            assertTrue(!executionOf(next).has("Reason"), "Reason is left out when there is nothing to say");
        }
    }

    private JsonNode executionOf(String id) {
        for (JsonNode execution : get("/job/single").json()) {
            if (execution.get("Id").asText().equals(id)) {
                return execution;
            }
        }
        throw new AssertionError("no execution " + id);
    }
}
