package io.slimjobs.error;

/** The Kubernetes API server could not be reached or answered with an error. */
public class ClusterUnavailableException extends SlimJobsException {

    /** The seconds an HTTP caller is told to wait before it tries again (Retry-After). */
    public static final int RETRY_AFTER_SECONDS = 5;

    public ClusterUnavailableException(String message) {
        super(503, "cluster_unavailable", message);
    }
}
