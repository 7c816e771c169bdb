package io.slimjobs.kube;

import java.util.List;

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

    /**
     * Only these use one of the job's NumberParallelJob slots. A pod that cannot pull its image keeps its slot: the
     * pull may recover at any moment (a rate limit, a registry blip) and the pod then runs.
     */
    public boolean holdsSlot() {
        return this == Pending || this == Running || this == ImagePullBackOff;
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
        if (ImagePullStall.of(pods).isPresent()) {
            return ImagePullBackOff;
        }
        if (pods.stream().anyMatch(pod -> "Running".equals(pod.getStatus() == null ? null : pod.getStatus().getPhase()))) {
            return Running;
        }
        return Pending;
    }

    /** Why Kubernetes failed the Job, from its {@code Failed} condition. */
    static String failureMessage(Job job) {
        return job.getStatus() == null || job.getStatus().getConditions() == null ? null
                : job.getStatus().getConditions().stream()
                        .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
                        .map(JobCondition::getMessage).findFirst().orElse(null);
    }

    private static boolean hasCondition(Job job, String type) {
        return job.getStatus() != null && job.getStatus().getConditions() != null
                && job.getStatus().getConditions().stream()
                        .anyMatch((JobCondition c) -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
