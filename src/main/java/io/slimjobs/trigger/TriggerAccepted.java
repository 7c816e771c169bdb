package io.slimjobs.trigger;

/** The answer to an accepted trigger: the execution id to list or delete it by. */
public record TriggerAccepted(String id) {
}
