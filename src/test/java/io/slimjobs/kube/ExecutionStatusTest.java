package io.slimjobs.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

class ExecutionStatusTest {

    @Test
    void should_be_succeeded_when_complete_even_with_a_pod_that_cannot_pull_its_image() {
        assertEquals(ExecutionStatus.Succeeded,
                ExecutionStatus.of(job(false, "Complete"), List.of(waiting("ImagePullBackOff"))));
    }

    @Test
    void should_be_failed_when_the_failed_condition_is_true() {
        assertEquals(ExecutionStatus.Failed, ExecutionStatus.of(job(false, "Failed"), List.of(running())));
    }

    @Test
    void should_ignore_a_condition_that_is_not_true() {
        Job job = new JobBuilder(job(false, null)).editStatus()
                .addNewCondition().withType("Complete").withStatus("False").endCondition()
                .addNewCondition().withType("Failed").withStatus("Unknown").endCondition()
                .endStatus().build();

        assertEquals(ExecutionStatus.Running, ExecutionStatus.of(job, List.of(running())));
    }

    @Test
    void should_be_queued_while_suspended() {
        assertEquals(ExecutionStatus.Queued, ExecutionStatus.of(job(true, "Suspended"), List.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ImagePullBackOff", "ErrImagePull"})
    void should_report_a_pod_that_cannot_pull_its_image(String reason) {
        assertEquals(ExecutionStatus.ImagePullBackOff,
                ExecutionStatus.of(job(false, null), List.of(running(), waiting(reason))));
    }

    @Test
    void should_be_running_with_a_running_pod() {
        assertEquals(ExecutionStatus.Running, ExecutionStatus.of(job(false, null), List.of(pending(), running())));
    }

    @Test
    void should_be_pending_once_released_until_a_pod_runs() {
        assertEquals(ExecutionStatus.Pending, ExecutionStatus.of(job(false, null), List.of()));
        assertEquals(ExecutionStatus.Pending, ExecutionStatus.of(job(null, null), List.of()));
        assertEquals(ExecutionStatus.Pending, ExecutionStatus.of(job(false, null), List.of(pending())));
        assertEquals(ExecutionStatus.Pending, ExecutionStatus.of(job(false, null), List.of(waiting("ContainerCreating"))));
    }

    @Test
    void should_not_crash_on_container_statuses_without_a_waiting_reason() {
        Pod pod = new PodBuilder().withNewStatus().withPhase("Pending").withContainerStatuses(
                        new ContainerStatusBuilder().withName("a").build(),
                        new ContainerStatusBuilder().withName("b").withNewState().endState().build(),
                        new ContainerStatusBuilder().withName("c").withNewState().withNewWaiting().endWaiting().endState().build())
                .endStatus().build();
        Pod bare = new PodBuilder().build();

        assertEquals(ExecutionStatus.Pending, ExecutionStatus.of(job(false, null), List.of(pod, bare)));
    }

    @ParameterizedTest
    @EnumSource(ExecutionStatus.class)
    void should_hold_a_slot_while_pending_running_or_waiting_for_its_image(ExecutionStatus status) {
        assertEquals(EnumSet.of(ExecutionStatus.Pending, ExecutionStatus.Running, ExecutionStatus.ImagePullBackOff)
                .contains(status), status.holdsSlot());
    }

    @Test
    void should_tell_a_finished_job_from_its_conditions_alone() {
        assertTrue(ExecutionStatus.isFinished(job(false, "Complete")));
        assertTrue(ExecutionStatus.isFinished(job(false, "Failed")));
        assertFalse(ExecutionStatus.isFinished(job(false, null)));
        assertFalse(ExecutionStatus.isFinished(job(true, "Suspended")));
    }

    private static Job job(Boolean suspend, String trueCondition) {
        JobBuilder job = new JobBuilder().withNewMetadata().withName("fib-1").endMetadata()
                .withNewSpec().withSuspend(suspend).endSpec();
        if (trueCondition != null) {
            job.withNewStatus().addNewCondition().withType(trueCondition).withStatus("True").endCondition().endStatus();
        }
        return job.build();
    }

    private static Pod pending() {
        return pod("Pending", null);
    }

    private static Pod running() {
        return pod("Running", new ContainerStatusBuilder().withName("main").withNewState().withNewRunning().endRunning()
                .endState().build());
    }

    private static Pod waiting(String reason) {
        return pod("Pending", new ContainerStatusBuilder().withName("main").withNewState().withNewWaiting()
                .withReason(reason).endWaiting().endState().build());
    }

    private static Pod pod(String phase, ContainerStatus containerStatus) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName("fib-1-x").endMetadata()
                .withNewStatus().withPhase(phase).endStatus();
        if (containerStatus != null) {
            pod.editStatus().withContainerStatuses(containerStatus).endStatus();
        }
        return pod.build();
    }
}
