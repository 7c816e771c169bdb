package io.slimjobs.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.slimjobs.error.ClusterUnavailableException;
import io.slimjobs.error.ConflictException;
import io.slimjobs.error.InvalidRequestException;
import io.slimjobs.error.NotFoundException;
import io.slimjobs.error.SlimJobsException;
import org.apache.camel.util.ObjectHelper;

/** What an API server error means for the caller who asked for the write. */
public final class KubernetesErrors {

    private KubernetesErrors() {
    }

    /**
     * What a failure means for the caller, as every door answers it: a refusal of SlimJobs' own, or an API server
     * error translated; null when it is neither, which is a bug.
     */
    public static SlimJobsException meaning(Throwable caught) {
        SlimJobsException refused = ObjectHelper.getException(SlimJobsException.class, caught);
        if (refused != null) {
            return refused;
        }
        KubernetesClientException failed = ObjectHelper.getException(KubernetesClientException.class, caught);
        return failed == null ? null : translate(failed);
    }

    public static SlimJobsException translate(KubernetesClientException e) {
        String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : e.getMessage();
        return switch (e.getCode()) {
            case 404 -> new NotFoundException(reason);
            case 409 -> new ConflictException(reason);
            case 422 -> new InvalidRequestException("Kubernetes refused the write: " + reason);
            default -> new ClusterUnavailableException("the Kubernetes API server did not accept the request"
                    + (e.getCode() > 0 ? " (HTTP " + e.getCode() + ")" : "") + ": " + reason);
        };
    }
}
