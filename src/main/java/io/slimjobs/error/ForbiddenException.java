package io.slimjobs.error;

/** The caller may not use a Private job. */
public class ForbiddenException extends SlimJobsException {

    public ForbiddenException(String message) {
        super(403, "forbidden", message);
    }
}
