package io.slimjobs.trigger;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The answer to an accepted trigger: the execution id to list or delete it by.
 *
 * @param repeat whether an earlier request with the same idempotency key made the execution, and this one nothing
 */
public record TriggerAccepted(String id, @JsonIgnore boolean repeat) {
}
