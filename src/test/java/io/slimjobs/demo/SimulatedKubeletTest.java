package io.slimjobs.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.slimjobs.kube.Labels;

class SimulatedKubeletTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STEP = Duration.ofMillis(20);

    private EmbeddedCluster cluster;
    private KubernetesClient client;
    private SimulatedKubelet kubelet;
    private String namespace;

    @BeforeEach
    void startCluster(TestInfo test) {
        // One namespace per test, named after the method.
        namespace = test.getTestMethod().orElseThrow().getName().toLowerCase(Locale.ROOT).replace('_', '-');
        cluster = EmbeddedCluster.start(namespace, null);
        client = cluster.client();
        kubelet = cluster.kubelet();
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void should_make_deployments_and_statefulsets_ready_as_asked_and_drop_readiness_when_held() {
        client.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder()
                .withNewMetadata().withName("api").endMetadata()
                .withNewSpec().withReplicas(2).endSpec().build()).create();
        client.apps().statefulSets().inNamespace(namespace).resource(new StatefulSetBuilder()
                .withNewMetadata().withName("db").endMetadata()
                .withNewSpec().withReplicas(1).endSpec().build()).create();

        Deployment api = await("api ready", () -> client.apps().deployments().inNamespace(namespace).withName("api")
                .get(), d -> d.getStatus() != null && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas()));
        assertEquals(2, api.getStatus().getReplicas());
        assertEquals(2, api.getStatus().getAvailableReplicas());
        await("db ready", () -> client.apps().statefulSets().inNamespace(namespace).withName("db").get(),
                s -> s.getStatus() != null && Integer.valueOf(1).equals(s.getStatus().getReadyReplicas()));

        kubelet.holdUnready("api");
        await("api unready", () -> client.apps().deployments().inNamespace(namespace).withName("api").get(),
                d -> d.getStatus().getReadyReplicas() == 0 && d.getStatus().getReplicas() == 2);
        kubelet.allowReady("api");
        await("api ready again", () -> client.apps().deployments().inNamespace(namespace).withName("api").get(),
                d -> d.getStatus().getReadyReplicas() == 2);

        client.apps().statefulSets().inNamespace(namespace).withName("db").scale(0);
        await("db scaled to 0", () -> client.apps().statefulSets().inNamespace(namespace).withName("db").get(),
                s -> s.getStatus().getReadyReplicas() == 0 && s.getStatus().getReplicas() == 0);
    }

    @Test
    void should_mark_a_suspended_job_with_the_suspended_condition() {
        create(job("queued", null, null));

        Job job = await("Suspended condition", () -> job("queued"), j -> hasCondition(j, "Suspended", "True"));

        assertEquals("JobSuspended", condition(job, "Suspended").getReason());
        assertTrue(pods("queued").isEmpty(), "a suspended job has no pod");
    }

    @Test
    void should_run_a_pod_with_an_ip_once_the_job_is_released() {
        create(job("released", null, null));
        await("Suspended condition", () -> job("released"), j -> hasCondition(j, "Suspended", "True"));

        release("released");

        Pod pod = await("running pod", () -> kubelet.livePod("released").orElse(null),
                p -> "Running".equals(p.getStatus().getPhase()));
        assertTrue(pod.getStatus().getPodIP().startsWith("10.244."), pod.getStatus().getPodIP());
        assertEquals(pod.getStatus().getPodIP(), pod.getStatus().getPodIPs().get(0).getIp());
        assertTrue(pod.getStatus().getContainerStatuses().get(0).getReady());
        assertEquals("released", pod.getMetadata().getLabels().get("batch.kubernetes.io/job-name"));
        assertEquals("released", pod.getMetadata().getLabels().get("job-name"));
        assertEquals("slimjobs", pod.getMetadata().getLabels().get(Labels.MANAGED_BY));
        assertEquals("id-released", pod.getMetadata().getLabels().get(Labels.ID));
        assertTrue(pod.getMetadata().getName().matches("released-[a-z0-9]{5}"), pod.getMetadata().getName());
        assertEquals(job("released").getMetadata().getUid(), pod.getMetadata().getOwnerReferences().get(0).getUid());
        assertTrue(pod.getMetadata().getOwnerReferences().get(0).getController());

        Job job = await("job ready", () -> job("released"), j -> Integer.valueOf(1).equals(j.getStatus().getReady()));
        assertEquals(1, job.getStatus().getActive());
        assertNotNull(job.getStatus().getStartTime());
        assertEquals("False", condition(job, "Suspended").getStatus());
        assertEquals("JobResumed", condition(job, "Suspended").getReason());
        assertEquals(Boolean.FALSE, job.getSpec().getSuspend(), "status writes keep the release");
    }

    @Test
    void should_keep_a_release_that_races_the_suspended_condition() {
        create(job("racing", null, null));
        release("racing");

        await("running pod", () -> kubelet.livePod("racing").orElse(null),
                p -> "Running".equals(p.getStatus().getPhase()));
        assertEquals(Boolean.FALSE, job("racing").getSpec().getSuspend());
    }

    @Test
    void should_complete_the_job_when_its_pod_succeeds() {
        create(job("lucky", null, null));
        release("lucky");
        Pod running = await("running pod", () -> kubelet.livePod("lucky").orElse(null),
                p -> "Running".equals(p.getStatus().getPhase()));

        kubelet.succeed("lucky");

        Job job = await("Complete condition", () -> job("lucky"), j -> hasCondition(j, "Complete", "True"));
        assertTrue(hasCondition(job, "SuccessCriteriaMet", "True"));
        assertEquals(1, job.getStatus().getSucceeded());
        assertEquals(0, job.getStatus().getActive());
        assertEquals(0, job.getStatus().getReady());
        assertNotNull(job.getStatus().getCompletionTime());
        Pod pod = client.pods().inNamespace(namespace).withName(running.getMetadata().getName()).get();
        assertEquals("Succeeded", pod.getStatus().getPhase());
        assertEquals(0, pod.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode());
        assertTrue(kubelet.livePod("lucky").isEmpty(), "no pod is started after success");
    }

    @Test
    void should_retry_a_failed_pod_then_fail_the_job_past_its_backoff_limit() {
        create(job("flaky", 1, null));
        release("flaky");
        Pod first = await("running pod", () -> kubelet.livePod("flaky").orElse(null),
                p -> "Running".equals(p.getStatus().getPhase()));
        String startTime = await("startTime", () -> job("flaky"), j -> j.getStatus().getStartTime() != null)
                .getStatus().getStartTime();

        kubelet.fail("flaky");

        Pod retry = await("retry pod", () -> kubelet.livePod("flaky").orElse(null),
                p -> !p.getMetadata().getName().equals(first.getMetadata().getName()));
        Job retrying = job("flaky");
        assertEquals(1, retrying.getStatus().getFailed());
        assertEquals(1, retrying.getStatus().getActive());
        assertEquals(startTime, retrying.getStatus().getStartTime(), "a retry keeps the start time");
        assertFalse(hasCondition(retrying, "Failed", "True"));
        assertEquals("Failed", client.pods().inNamespace(namespace).withName(first.getMetadata().getName()).get()
                .getStatus().getPhase());
        assertEquals(1, client.pods().inNamespace(namespace).withName(first.getMetadata().getName()).get()
                .getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode());

        kubelet.fail("flaky");

        Job job = await("Failed condition", () -> job("flaky"), j -> hasCondition(j, "Failed", "True"));
        assertEquals("BackoffLimitExceeded", condition(job, "Failed").getReason());
        assertTrue(hasCondition(job, "FailureTarget", "True"));
        assertEquals(2, job.getStatus().getFailed());
        assertEquals(0, job.getStatus().getActive());
        assertNotEquals(first.getMetadata().getName(), retry.getMetadata().getName());
        assertTrue(kubelet.livePod("flaky").isEmpty(), "no pod is started past the backoff limit");
    }

    @Test
    void should_wait_in_image_pull_back_off_without_touching_the_job_until_the_pull_is_allowed() {
        kubelet.refusePull("busybox:1.36");
        create(job("pull", null, null));
        release("pull");
        Pod creating = await("pod creating", () -> kubelet.livePod("pull").orElse(null),
                p -> "ContainerCreating".equals(waiting(p)));
        Job before = await("job active", () -> job("pull"), j -> Integer.valueOf(1).equals(j.getStatus().getActive()));

        await("ErrImagePull", () -> kubelet.livePod("pull").orElse(null), p -> "ErrImagePull".equals(waiting(p)));
        Pod backOff = await("ImagePullBackOff", () -> kubelet.livePod("pull").orElse(null),
                p -> "ImagePullBackOff".equals(waiting(p)));

        assertEquals(creating.getMetadata().getName(), backOff.getMetadata().getName());
        assertEquals("Pending", backOff.getStatus().getPhase());
        assertTrue(backOff.getStatus().getContainerStatuses().get(0).getState().getWaiting().getMessage()
                .contains("busybox:1.36"));
        assertEquals(before.getMetadata().getResourceVersion(), job("pull").getMetadata().getResourceVersion(),
                "a kubelet changes the pod, not the Job");

        kubelet.allowPull("busybox:1.36");

        await("running pod", () -> kubelet.livePod("pull").orElse(null), p -> "Running".equals(p.getStatus().getPhase()));
        await("job ready", () -> job("pull"), j -> Integer.valueOf(1).equals(j.getStatus().getReady()));
    }

    @Test
    void should_fail_a_job_active_longer_than_its_deadline_and_stop_its_pod() {
        create(job("late", null, null));
        release("late");
        Pod running = await("running pod", () -> kubelet.livePod("late").orElse(null),
                p -> "Running".equals(p.getStatus().getPhase()));

        client.batch().v1().jobs().inNamespace(namespace).withName("late")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"activeDeadlineSeconds\":1}}");

        Job job = await("Failed condition", () -> job("late"), j -> hasCondition(j, "Failed", "True"));
        assertEquals("DeadlineExceeded", condition(job, "Failed").getReason());
        assertEquals("DeadlineExceeded", condition(job, "FailureTarget").getReason());
        assertEquals(0, job.getStatus().getActive());
        assertTrue(Instant.parse(condition(job, "Failed").getLastTransitionTime())
                .isAfter(Instant.parse(job.getStatus().getStartTime())), "counted from the start time");
        await("pod gone", () -> Optional.ofNullable(
                client.pods().inNamespace(namespace).withName(running.getMetadata().getName()).get()), Optional::isEmpty);
        assertTrue(kubelet.livePod("late").isEmpty(), "no pod is started past the deadline");
    }

    private static String waiting(Pod pod) {
        var state = pod.getStatus().getContainerStatuses().get(0).getState();
        return state.getWaiting() == null ? null : state.getWaiting().getReason();
    }

    @Test
    void should_delete_the_pods_of_a_deleted_job() {
        create(job("doomed", null, null));
        release("doomed");
        await("live pod", () -> kubelet.livePod("doomed").orElse(null), p -> true);

        client.batch().v1().jobs().inNamespace(namespace).withName("doomed").delete();

        await("pods gone", () -> pods("doomed"), List::isEmpty);
    }

    @Test
    void should_delete_a_finished_job_after_its_ttl() {
        create(job("short-lived", null, 1));
        release("short-lived");
        await("running pod", () -> kubelet.livePod("short-lived").orElse(null),
                p -> "Running".equals(p.getStatus().getPhase()));

        kubelet.succeed("short-lived");

        await("Complete condition", () -> job("short-lived"), j -> hasCondition(j, "Complete", "True"));
        await("job deleted", () -> Optional.ofNullable(job("short-lived")), Optional::isEmpty);
        await("pods gone", () -> pods("short-lived"), List::isEmpty);
    }

    @Test
    void should_run_pods_to_completion_by_themselves_in_demo_mode() {
        try (EmbeddedCluster demo = EmbeddedCluster.start(namespace + "-demo", Duration.ofMillis(100))) {
            demo.client().batch().v1().jobs().inNamespace(namespace + "-demo").resource(job("demo", null, null))
                    .create();
            demo.client().batch().v1().jobs().inNamespace(namespace + "-demo").withName("demo")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":false}}");

            Job job = await("Complete condition",
                    () -> demo.client().batch().v1().jobs().inNamespace(namespace + "-demo").withName("demo").get(),
                    j -> hasCondition(j, "Complete", "True"));
            assertEquals(1, job.getStatus().getSucceeded());
        }
    }

    // ---- helpers

    private static Job job(String name, Integer backoffLimit, Integer ttlSecondsAfterFinished) {
        Map<String, String> labels = Map.of(
                Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE,
                Labels.JOB, name,
                Labels.ID, "id-" + name);
        return new JobBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                    .withSuspend(true)
                    .withBackoffLimit(backoffLimit)
                    .withTtlSecondsAfterFinished(ttlSecondsAfterFinished)
                    .withNewTemplate()
                        .withNewMetadata()
                            .withLabels(labels)
                        .endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            .addNewContainer()
                                .withName("main")
                                .withImage("busybox:1.36")
                                .withArgs("echo", "hello")
                            .endContainer()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    private void create(Job job) {
        client.batch().v1().jobs().inNamespace(namespace).resource(job).create();
    }

    private void release(String name) {
        client.batch().v1().jobs().inNamespace(namespace).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":false}}");
    }

    private Job job(String name) {
        return client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    }

    private List<Pod> pods(String jobName) {
        return client.pods().inNamespace(namespace).withLabel("batch.kubernetes.io/job-name", jobName).list()
                .getItems();
    }

    private static JobCondition condition(Job job, String type) {
        if (job.getStatus() == null) {
            return null;
        }
        return job.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private static boolean hasCondition(Job job, String type, String status) {
        JobCondition condition = condition(job, type);
        return condition != null && status.equals(condition.getStatus());
    }

    /** Polls until the probe's value (non-null) passes the check; fails with what it last saw after 10 s. */
    private static <T> T await(String what, Supplier<T> probe, Predicate<T> check) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = probe.get();
            if (last != null && check.test(last)) {
                return last;
            }
            try {
                Thread.sleep(STEP.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return fail("timed out waiting for " + what + "; last seen: " + last);
    }
}
