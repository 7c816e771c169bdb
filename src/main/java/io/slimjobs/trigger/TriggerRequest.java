package io.slimjobs.trigger;

/**
 * A request to run a job, as every door hands it to the trigger pipeline: the job name as received, the
 * overrides as unparsed JSON (empty for none) with their content type, and whether the caller is trusted
 * to run Private jobs.
 */
public record TriggerRequest(String jobName, String overridesJson, String contentType, boolean trustedCaller) {
}
