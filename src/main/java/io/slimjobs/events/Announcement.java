package io.slimjobs.events;

import io.slimjobs.kube.FinishedExecution;

/**
 * The parts of a finished execution's announcement this replica took on: the callback, the events topic, or both.
 */
public record Announcement(FinishedExecution execution, boolean callback, boolean publish) {
}
