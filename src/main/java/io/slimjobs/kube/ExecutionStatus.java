package io.slimjobs.kube;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;

/** Where an execution stands, read from its Job and pods. */
public enum ExecutionStatus {
    Queued,
    Pending,
    Running,
    Succeeded,
    Failed,
    ImagePullBackOff;

    private static final Set<String> IMAGE_PULL_ERRORS = Set.of("ImagePullBackOff", "ErrImagePull");

    /** Only these use one of the job's NumberParallelJob slots; a pod that cannot pull its image never runs. */
    public boolean holdsSlot() {
        return this == Pending || this == Running;
    }

    /** Whether the Job reached a terminal condition, read from the Job alone. */
    static boolean isFinished(Job job) {
        return hasCondition(job, "Complete") || hasCondition(job, "Failed");
    }

    /** Terminal conditions first (a finished Job is finished whatever its pods say), then suspension, then pods. */
    static ExecutionStatus of(Job job, List<Pod> pods) {
        if (hasCondition(job, "Complete")) {
            return Succeeded;
        }
        if (hasCondition(job, "Failed")) {
            return Failed;
        }
        if (Boolean.TRUE.equals(job.getSpec().getSuspend())) {
            return Queued;
        }
        if (pods.stream().anyMatch(ExecutionStatus::cannotPullImage)) {
            return ImagePullBackOff;
        }
        if (pods.stream().anyMatch(pod -> "Running".equals(pod.getStatus() == null ? null : pod.getStatus().getPhase()))) {
            return Running;
        }
        return Pending;
    }

    private static boolean hasCondition(Job job, String type) {
        return job.getStatus() != null && job.getStatus().getConditions() != null
                && job.getStatus().getConditions().stream()
                        .anyMatch((JobCondition c) -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static boolean cannotPullImage(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return false;
        }
        return pod.getStatus().getContainerStatuses().stream()
                .map(ContainerStatus::getState)
                .filter(Objects::nonNull)
                .map(state -> state.getWaiting() == null ? null : state.getWaiting().getReason())
                .anyMatch(reason -> reason != null && IMAGE_PULL_ERRORS.contains(reason));
    }
}
