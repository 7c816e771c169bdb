package io.slimjobs.trigger;

/**
 * A request to run a job, as every door hands it to the trigger pipeline: the job name as received, the
 * overrides as unparsed JSON (empty for none) with their content type, whether the caller is trusted to run
 * Private jobs, and an idempotency key (null for none): requests with the same key for the same job name make
 * one execution, and a repeat answers its Id.
 */
public record TriggerRequest(String jobName, String overridesJson, String contentType, boolean trustedCaller,
                             String idempotencyKey) {

    /** A request without an idempotency key: each one makes a new execution. */
    public TriggerRequest(String jobName, String overridesJson, String contentType, boolean trustedCaller) {
        this(jobName, overridesJson, contentType, trustedCaller, null);
    }
}
