package io.slimjobs.error;

/** The Kubernetes object already exists. */
public class ConflictException extends SlimJobsException {

    public ConflictException(String message) {
        super(409, "conflict", message);
    }
}
