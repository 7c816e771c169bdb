package io.slimjobs.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** The answer to deleting an execution: its Id and the name of the Kubernetes Job that went with it. */
@JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
public record DeletedExecution(String id, String name) {
}
