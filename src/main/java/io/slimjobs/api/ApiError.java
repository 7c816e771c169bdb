package io.slimjobs.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of every error answer: a stable code and a sentence for people. */
public record ApiError(@JsonProperty("error") String error, @JsonProperty("message") String message) {
}
