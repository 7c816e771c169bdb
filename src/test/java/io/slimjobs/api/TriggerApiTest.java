package io.slimjobs.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slimjobs.ApiServerProxy;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.kube.Labels;
import org.junit.jupiter.api.Test;

/** Behind a proxy that delays watch events, so that SlimJobs' Job cache always lags the API server. */
class TriggerApiTest extends SlimJobsTestSupport {

    private static final Duration WATCH_LAG = Duration.ofMillis(400);

    private ApiServerProxy lagging;

    @Override
    protected Map<String, String> properties() {
        lagging = new ApiServerProxy(cluster.masterUrl(), WATCH_LAG);
        return Map.of("slimjobs.kubernetes.master-url", lagging.url());
    }

    @Override
    protected void doPostTearDown() throws Exception {
        super.doPostTearDown();
        lagging.close();
    }

    @Test
    void should_create_a_suspended_job_from_the_definition_and_the_overrides() {
        String id = trigger("fibonacci", """
                {"Args": ["42", "43"], "Image": "axaguildev/fibonacci-batch:1.0.1",
                 "Resources": {"Limits": {"cpu": "0.2"}, "Requests": {"cpu": "200m"}},
                 "Environments": [{"Name": "MODE", "Value": "slow"}, {"Name": "EXTRA", "Value": "1"}],
                 "BackoffLimit": 2, "TtlSecondsAfterFinished": 100, "RestartPolicy": "OnFailure"}
                """);

        Job job = jobOf(id);
        assertEquals(Map.of(Labels.MANAGED_BY, "slimjobs", Labels.JOB, "fibonacci", Labels.ID, id),
                job.getMetadata().getLabels());
        assertEquals(job.getMetadata().getLabels(), job.getSpec().getTemplate().getMetadata().getLabels());
        assertTrue(job.getMetadata().getName().startsWith("fibonacci-"));
        assertEquals(2, job.getSpec().getBackoffLimit());
        assertEquals(100, job.getSpec().getTtlSecondsAfterFinished());
        assertEquals("OnFailure", job.getSpec().getTemplate().getSpec().getRestartPolicy());
        Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("fibonacci", container.getName());
        assertEquals("axaguildev/fibonacci-batch:1.0.1", container.getImage());
        assertEquals(List.of("42", "43"), container.getArgs());
        assertEquals(List.of("TOKEN", "MODE", "EXTRA"), container.getEnv().stream().map(e -> e.getName()).toList());
        assertEquals("fib-secret", container.getEnv().get(0).getValueFrom().getSecretKeyRef().getName());
        assertEquals("slow", container.getEnv().get(1).getValue());
        assertEquals(new Quantity("200m"), container.getResources().getRequests().get("cpu"));
        assertEquals(new Quantity("400Mi"), container.getResources().getRequests().get("memory"));
        assertEquals(new Quantity("0.2"), container.getResources().getLimits().get("cpu"));
    }

    @Test
    void should_bring_the_inherited_request_down_to_a_lowered_limit_in_the_created_job() {
        String id = trigger("fibonacci", "{\"Resources\": {\"Limits\": {\"cpu\": \"200m\"}}}");

        Container container = jobOf(id).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(Map.of("cpu", new Quantity("200m"), "memory", new Quantity("400Mi")),
                container.getResources().getRequests());
        assertEquals(Map.of("cpu", new Quantity("200m"), "memory", new Quantity("400Mi")),
                container.getResources().getLimits());
    }

    @Test
    void should_list_an_execution_as_soon_as_its_trigger_is_answered() {
        // the cache learns of each Job a WATCH_LAG after its creation: only waiting for it makes this pass
        for (int i = 0; i < 3; i++) {
            String id = trigger("fibonacci", "");
            assertTrue(get("/job/fibonacci").body().contains(id), "read-your-writes for " + id);
        }
    }

    @Test
    void should_list_an_execution_from_queued_to_succeeded() {
        String id = trigger("fibonacci", "");
        awaitUntil("running", () -> statusOf("fibonacci", id).equals("Running"));
        kubelet().succeed(jobOf(id).getMetadata().getName());
        awaitUntil("succeeded", () -> statusOf("fibonacci", id).equals("Succeeded"));
    }
}
