package io.slimjobs.trigger;

import io.cloudevents.CloudEvent;

/**
 * A request to run a job, as every door hands it to the trigger pipeline.
 *
 * @param jobName        the job name as received
 * @param overridesJson  the overrides as unparsed JSON (empty for none), read by their {@code contentType}
 * @param trustedCaller  whether the caller may run Private jobs
 * @param idempotencyKey null for none: requests with the same key for the same job name make one execution, and a
 *                       repeat answers its Id
 * @param event          a CloudEvent that is the execution's input, mounted as a file; null for none. An event
 *                       carries no overrides: the definition runs as configured
 * @param callbackUrl    where the caller wants a CloudEvent posted when the execution ends; null for none
 * @param door           where the request came in
 */
public record TriggerRequest(String jobName, String overridesJson, String contentType, boolean trustedCaller,
                             String idempotencyKey, CloudEvent event, String callbackUrl, Door door) {

    /** A request with overrides only: no event, no callback. */
    public TriggerRequest(String jobName, String overridesJson, String contentType, boolean trustedCaller,
                          String idempotencyKey, Door door) {
        this(jobName, overridesJson, contentType, trustedCaller, idempotencyKey, null, null, door);
    }
}
