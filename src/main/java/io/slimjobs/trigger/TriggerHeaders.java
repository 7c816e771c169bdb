package io.slimjobs.trigger;

/**
 * Header names that mean the same at every door: HTTP headers, Kafka record headers and the Camel headers of a
 * user route (Camel message headers are case-insensitive).
 */
public final class TriggerHeaders {

    /** The job to run, where the path does not name it. */
    public static final String JOB = "slimjobs-job";
    /** Optional: requests with the same key for the same job name make one execution. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Set on the reply of an in-process trigger: the execution Id. */
    public static final String EXECUTION_ID = "slimjobs-execution-id";

    private TriggerHeaders() {
    }
}
