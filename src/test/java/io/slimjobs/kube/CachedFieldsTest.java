package io.slimjobs.kube;

import static io.slimjobs.SlimJobsTestSupport.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Job and pod caches keep only what SlimJobs reads of each object (see {@link CachedFields}), and what is read
 * from them is what the cluster holds: an execution run to its end by the simulated kubelet reads as it does from
 * the whole objects, and what a view keeps of a Job between listings and passes follows the Job.
 */
class CachedFieldsTest extends CachesTestSupport {

    private static final String NAMESPACE = "cached-fields";
    private static final String JOB_NAME = "slim";
    private static final String FOREIGN_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

    private String id;
    private String objectName;

    @Override
    protected String namespace() {
        return NAMESPACE;
    }

    @BeforeEach
    void nameTheExecution() {
        id = UUID.randomUUID().toString();
        objectName = Names.jobObjectName(JOB_NAME, id);
    }

    @Test
    void should_keep_of_a_cached_job_only_what_slimjobs_reads() {
        runToFailure();

        Job cached = jobs.job(objectName).orElseThrow();
        Job whole = cluster.client().batch().v1().jobs().inNamespace(NAMESPACE).withName(objectName).get();
        assertTrue(whole.getSpec().getTemplate() != null && whole.getMetadata().getManagedFields() != null
                && whole.getMetadata().getAnnotations().containsKey(FOREIGN_ANNOTATION), "the Job has what is dropped");
        assertNull(cached.getSpec().getTemplate(), "pod template");
        assertNull(cached.getSpec().getBackoffLimit(), "backoff limit");
        assertTrue(cached.getMetadata().getManagedFields().isEmpty(), "managed fields");
        assertEquals(Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE, Labels.JOB, JOB_NAME, Labels.ID, id),
                cached.getMetadata().getLabels());
        assertEquals(Map.of(Labels.ENQUEUED_AT, "2026-01-01T00:00:00Z", Labels.DEPENDS_ON, "db"),
                cached.getMetadata().getAnnotations());
        assertEquals(whole.getMetadata().getUid(), cached.getMetadata().getUid());
        assertEquals(whole.getMetadata().getResourceVersion(), cached.getMetadata().getResourceVersion());
        assertEquals(whole.getMetadata().getCreationTimestamp(), cached.getMetadata().getCreationTimestamp());
        assertEquals(whole.getStatus().getStartTime(), cached.getStatus().getStartTime());
        assertEquals(whole.getStatus().getFailed(), cached.getStatus().getFailed());
        assertEquals(whole.getStatus().getConditions().size(), cached.getStatus().getConditions().size());
    }

    @Test
    void should_keep_of_an_executions_pod_only_what_slimjobs_reads() {
        runToFailure();

        Pod cached = pods.podsOf(id).get(0);
        Pod whole = cluster.client().pods().inNamespace(NAMESPACE).withName(cached.getMetadata().getName()).get();
        assertFalse(whole.getSpec().getContainers().isEmpty(), "the pod has containers");
        assertNull(cached.getSpec(), "spec: containers, volumes (only hostNetwork would be kept)");
        assertEquals(whole.getMetadata().getCreationTimestamp(), cached.getMetadata().getCreationTimestamp());
        assertEquals(Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE, Labels.JOB, JOB_NAME, Labels.ID, id),
                cached.getMetadata().getLabels(), "the pod's other labels (job-name, controller-uid) are dropped");
        assertEquals(whole.getStatus().getPhase(), cached.getStatus().getPhase());
        ContainerStatus container = cached.getStatus().getContainerStatuses().get(0);
        ContainerStatus wholeContainer = whole.getStatus().getContainerStatuses().get(0);
        assertEquals(wholeContainer.getImage(), container.getImage());
        assertEquals(wholeContainer.getState().getTerminated().getFinishedAt(),
                container.getState().getTerminated().getFinishedAt());
        assertNull(container.getName(), "container name");
        assertNull(container.getState().getTerminated().getStartedAt(), "container start");
    }

    @Test
    void should_keep_of_another_apps_pod_only_its_phase_and_addresses() {
        Pod other = new PodBuilder()
                .withNewMetadata().withName("web").withLabels(Map.of("app", "web"))
                    .withAnnotations(Map.of("note", "x")).endMetadata()
                .withNewSpec().withHostNetwork(false).addNewContainer().withName("web").withImage("nginx")
                    .endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP("10.9.0.1").addNewPodIP().withIp("10.9.0.1").endPodIP()
                    .addNewContainerStatus().withName("web").withImage("nginx").withNewState().withNewRunning()
                    .endRunning().endState().endContainerStatus().endStatus()
                .build();

        Pod cached = CachedFields.pod(other);

        assertNull(cached.getMetadata().getLabels(), "labels");
        assertNull(cached.getMetadata().getAnnotations(), "annotations");
        assertTrue(cached.getSpec().getContainers().isEmpty(), "containers");
        assertEquals(Boolean.FALSE, cached.getSpec().getHostNetwork());
        assertEquals("10.9.0.1", cached.getStatus().getPodIPs().get(0).getIp());
        assertNull(cached.getStatus().getContainerStatuses(), "container statuses");
    }

    /** What the API reads from the slim objects is what the whole ones say. */
    @Test
    void should_read_from_the_slim_objects_what_the_cluster_holds() {
        runToFailure();

        ExecutionDetail detail = jobs.executionDetail(JOB_NAME, id).orElseThrow();
        assertEquals(ExecutionStatus.Failed, detail.execution().status());
        assertEquals(3, detail.exitCode());
        assertEquals(1, detail.failedAttempts());
        assertTrue(detail.endTimestamp() > 0, "an end time");
        assertTrue(detail.execution().startTimestamp() > 0, "a start time");
        assertEquals(List.of("db"), detail.execution().dependsOn());
        assertEquals(ExecutionStatus.Failed, jobs.executions(JOB_NAME).get(0).status());
    }

    /** A finished execution's view is kept between listings: it follows every new version of its Job, and its end. */
    @Test
    void should_list_a_finished_execution_as_its_job_now_is() {
        runToFailure();
        assertEquals(ExecutionStatus.Failed, jobs.executions(JOB_NAME).get(0).status());

        cluster.client().batch().v1().jobs().inNamespace(NAMESPACE).withName(objectName)
                .patch(PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"" + Labels.FAILURE_REASON + "\":\"stopped by hand\"}}}");
        awaitUntil("the listing gives the new reason",
                () -> "stopped by hand".equals(jobs.executions(JOB_NAME).get(0).reason()));

        cluster.client().batch().v1().jobs().inNamespace(NAMESPACE).withName(objectName).delete();
        awaitUntil("the listing without the deleted execution", () -> jobs.executions(JOB_NAME).isEmpty());
    }

    /**
     * What a queued execution's view reads from its Job alone is kept between passes: it follows every new version of
     * the Job, so an edited enqueue time moves the execution in the queue and an edited DependsOn gives it a Reason.
     */
    @Test
    void should_queue_an_execution_as_its_job_now_is() {
        String second = UUID.randomUUID().toString();
        queue(id, "2026-01-01T00:00:00Z");
        queue(second, "2026-01-01T00:01:00Z");
        awaitUntil("both queued, the first enqueued first",
                () -> jobs.executions(JOB_NAME).stream().map(ExecutionView::id).toList().equals(List.of(id, second)));

        cluster.client().batch().v1().jobs().inNamespace(NAMESPACE).withName(objectName)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\""
                        + Labels.ENQUEUED_AT + "\":\"2026-01-01T00:02:00Z\",\"" + Labels.DEPENDS_ON + "\":\"db\"}}}");
        awaitUntil("the execution re-enqueued later is listed second, waiting for its new dependency", () -> {
            List<ExecutionView> listed = jobs.executions(JOB_NAME);
            return listed.stream().map(ExecutionView::id).toList().equals(List.of(second, id))
                    && listed.get(1).positionInQueue() == 2 && listed.get(1).dependsOn().equals(List.of("db"))
                    && listed.get(1).reason() != null;
        });
    }

    private void queue(String executionId, String enqueuedAt) {
        Map<String, String> labels = Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE, Labels.JOB, JOB_NAME,
                Labels.ID, executionId);
        cluster.client().batch().v1().jobs().inNamespace(NAMESPACE).resource(new JobBuilder()
                .withNewMetadata().withName(Names.jobObjectName(JOB_NAME, executionId)).withLabels(labels)
                    .withAnnotations(Map.of(Labels.ENQUEUED_AT, enqueuedAt)).endMetadata()
                .withNewSpec().withSuspend(true).withNewTemplate().withNewSpec().withRestartPolicy("Never")
                    .addNewContainer().withName("main").withImage("busybox").endContainer().endSpec().endTemplate()
                .endSpec().build()).create();
    }

    /** An execution whose Job carries what the caches drop: a template, managed fields, a foreign annotation. */
    private void runToFailure() {
        Map<String, String> labels = Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE, Labels.JOB, JOB_NAME,
                Labels.ID, id);
        Job job = new JobBuilder()
                .withNewMetadata().withName(objectName).withLabels(labels)
                    .withAnnotations(Map.of(Labels.ENQUEUED_AT, "2026-01-01T00:00:00Z", Labels.DEPENDS_ON, "db",
                            FOREIGN_ANNOTATION, "{\"kind\":\"Job\"}"))
                    .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").withOperation("Apply")
                            .build())
                .endMetadata()
                .withNewSpec()
                    .withSuspend(false)
                    .withBackoffLimit(0)
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            .addNewContainer().withName("main").withImage("busybox").addNewEnv().withName("INPUT")
                                .withValue("x".repeat(1000)).endEnv().endContainer()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
        cluster.client().batch().v1().jobs().inNamespace(NAMESPACE).resource(job).create();
        awaitUntil("the execution running", () -> jobs.execution(JOB_NAME, id)
                .filter(view -> view.status() == ExecutionStatus.Running).isPresent());
        cluster.kubelet().fail(objectName, 3);
        awaitUntil("the execution failed", () -> jobs.execution(JOB_NAME, id)
                .filter(view -> view.status() == ExecutionStatus.Failed).isPresent()
                && !pods.podsOf(id).isEmpty() && pods.podsOf(id).get(0).getStatus().getContainerStatuses().stream()
                        .anyMatch(container -> container.getState().getTerminated() != null));
    }
}
