package io.slimjobs.error;

/** The Kubernetes API server could not be reached or answered with an error. */
public class ClusterUnavailableException extends SlimJobsException {

    public ClusterUnavailableException(String message) {
        super(503, "cluster_unavailable", message);
    }
}
