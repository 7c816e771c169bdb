package io.slimjobs.kube;

/** Label and annotation keys SlimJobs puts on the Jobs it makes and reads back. */
public final class Labels {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "slimjobs";
    /** The job name as the caller wrote it (lower-cased); `_` is kept, unlike in object names. */
    public static final String JOB = "slimjobs.io/job";
    /** The execution id returned to the caller. */
    public static final String ID = "slimjobs.io/id";

    /** When the execution was queued, an RFC 3339 instant in UTC ({@code 2026-01-01T00:00:00.000123Z}): the FIFO order key. */
    public static final String ENQUEUED_AT = "slimjobs.io/enqueued-at";
    /** Comma-separated Deployments or StatefulSets the execution waits for. */
    public static final String DEPENDS_ON = "slimjobs.io/depends-on";

    /** Set on a Job SlimJobs had Kubernetes fail: why, in a sentence for a person. */
    public static final String FAILURE_REASON = "slimjobs.io/failure-reason";

    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE;

    private Labels() {
    }
}
