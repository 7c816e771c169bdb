package io.slimjobs.error;

/** The named thing does not exist. */
public class NotFoundException extends SlimJobsException {

    public NotFoundException(String message) {
        super(404, "not_found", message);
    }
}
