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
    /** The idempotency key the execution was triggered with (a schedule's fire: `schedule:<id>@<occurrence ms>`). */
    public static final String IDEMPOTENCY_KEY = "slimjobs.io/idempotency-key";
    /**
     * The instant, on SlimJobs' clock, at which the trigger that made the Job stopped waiting for its create and
     * answered 503 if it had to: a Job the API server created later must never run.
     */
    public static final String ANSWER_BY = "slimjobs.io/answer-by";
    /** Comma-separated Deployments or StatefulSets the execution waits for. */
    public static final String DEPENDS_ON = "slimjobs.io/depends-on";

    /** Set on a Job SlimJobs had Kubernetes fail: why, in a sentence for a person. */
    public static final String FAILURE_REASON = "slimjobs.io/failure-reason";
    /** Where a CloudEvent is posted when the execution ends: the trigger's X-Callback-Url, else the CallbackUrl. */
    public static final String CALLBACK_URL = "slimjobs.io/callback-url";
    /** How the callback ended, written once it has: {@code delivered}, or {@code failed} after the last attempt. */
    public static final String CALLBACK = "slimjobs.io/callback";
    /** {@code true} once the execution's end went to the events topic. */
    public static final String EVENT_PUBLISHED = "slimjobs.io/event-published";

    // Annotations read on the Deployments and StatefulSets executions depend on.
    /** Ready replicas a dependency needs before executions that depend on it start (at least 1). */
    public static final String MIN_READY = "slimjobs.io/min-ready";
    /** SlimFaas' minimum replicas, the fallback of {@link #MIN_READY}. */
    public static final String SLIMFAAS_REPLICAS_MIN = "SlimFaas/ReplicasMin";
    /** "true": SlimJobs may scale the dependency up from 0 while executions need it, and back to 0 after. */
    public static final String WAKE_ON_DEMAND = "slimjobs.io/wake-on-demand";
    /** How many replicas a woken dependency gets. */
    public static final String WAKE_REPLICAS = "slimjobs.io/wake-replicas";
    /** SlimFaas' replicas on wake-up, the fallback of {@link #WAKE_REPLICAS}. */
    public static final String SLIMFAAS_REPLICAS_AT_START = "SlimFaas/ReplicasAtStart";
    /** Seconds a woken dependency stays up after the last execution that needed it finished. */
    public static final String IDLE_SECONDS = "slimjobs.io/idle-seconds";
    /** Written by SlimJobs on a dependency it woke: see {@link WakeMark}. */
    public static final String WOKEN = "slimjobs.io/woken";

    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE;

    private Labels() {
    }
}
