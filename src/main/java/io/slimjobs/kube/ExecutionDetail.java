package io.slimjobs.kube;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;

/**
 * One execution as `GET /job/{name}/{id}` shows it: its list entry, then when it ended (epoch milliseconds, -1 while
 * it has not), how its last pod's container ended (left out while none has), and how many pods failed.
 */
@JsonPropertyOrder({"Execution", "EndTimestamp", "ExitCode", "TerminationReason", "FailedAttempts"})
@JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
public record ExecutionDetail(@JsonUnwrapped ExecutionView execution, long endTimestamp, Integer exitCode,
                              String terminationReason, int failedAttempts) {

    /** Pods newest first: by creation, then a pod still live before finished ones, then the one that ended last. */
    private static final Comparator<Pod> NEWEST_FIRST = Comparator
            .comparing((Pod pod) -> JobIndex.parse(pod.getMetadata().getCreationTimestamp()))
            .thenComparing(pod -> terminated(pod).map(ContainerStateTerminated::getFinishedAt).map(JobIndex::parse)
                    .orElse(Instant.MAX))
            .reversed();

    static ExecutionDetail of(ExecutionView execution, Job job, List<Pod> pods) {
        Optional<ContainerStateTerminated> ended = pods.stream().sorted(NEWEST_FIRST).findFirst()
                .flatMap(ExecutionDetail::terminated);
        Integer failed = job.getStatus() == null ? null : job.getStatus().getFailed();
        return new ExecutionDetail(execution, endTime(job).map(Instant::toEpochMilli).orElse(-1L),
                ended.map(ContainerStateTerminated::getExitCode).orElse(null),
                ended.map(ContainerStateTerminated::getReason).orElse(null), failed == null ? 0 : failed);
    }

    /** When the Job ended: its completion time, or when it was marked Failed; empty while it runs or waits. */
    static Optional<Instant> endTime(Job job) {
        if (!ExecutionStatus.isFinished(job)) {
            return Optional.empty();
        }
        if (job.getStatus().getCompletionTime() != null) {
            return Optional.of(JobIndex.parse(job.getStatus().getCompletionTime()));
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
                .map(JobCondition::getLastTransitionTime).findFirst().map(JobIndex::parse);
    }

    /**
     * How the pod's first container last ended: its state if it has ended, else the run before a restart in place
     * (RestartPolicy OnFailure restarts the container, not the pod).
     */
    private static Optional<ContainerStateTerminated> terminated(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream().findFirst().flatMap(status -> Optional
                .ofNullable(terminated(status.getState())).or(() -> Optional.ofNullable(lastTerminated(status))));
    }

    private static ContainerStateTerminated terminated(ContainerState state) {
        return state == null ? null : state.getTerminated();
    }

    private static ContainerStateTerminated lastTerminated(ContainerStatus status) {
        return terminated(status.getLastState());
    }
}
