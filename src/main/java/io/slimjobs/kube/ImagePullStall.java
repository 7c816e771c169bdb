package io.slimjobs.kube;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * A pod of an execution whose container image cannot be pulled: which image, the kubelet's waiting reason
 * ({@code ErrImagePull} or {@code ImagePullBackOff}) and when the pod was created, from which the image-pull
 * timeout counts.
 */
public record ImagePullStall(String image, String reason, Instant podCreated) {

    private static final Set<String> IMAGE_PULL_ERRORS = Set.of("ImagePullBackOff", "ErrImagePull");

    /** The first container of these pods that waits for its image, if any. */
    static Optional<ImagePullStall> of(List<Pod> pods) {
        for (Pod pod : pods) {
            if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
                continue;
            }
            for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
                String reason = container.getState() == null || container.getState().getWaiting() == null
                        ? null : container.getState().getWaiting().getReason();
                if (reason != null && IMAGE_PULL_ERRORS.contains(reason)) {
                    String created = pod.getMetadata() == null ? null : pod.getMetadata().getCreationTimestamp();
                    return Optional.of(new ImagePullStall(container.getImage(), reason,
                            created == null ? null : Instant.parse(created)));
                }
            }
        }
        return Optional.empty();
    }
}
