package io.slimjobs.trigger;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The answer to an accepted trigger: the execution id to list or delete it by.
 *
 * @param repeat whether an earlier request with the same idempotency key made the execution, and this one nothing
 */
@JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
public record TriggerAccepted(String id, @JsonIgnore boolean repeat) {
}
