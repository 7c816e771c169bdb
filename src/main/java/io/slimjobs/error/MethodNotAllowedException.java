package io.slimjobs.error;

/** The path exists, but not for this HTTP verb. */
public class MethodNotAllowedException extends SlimJobsException {

    public MethodNotAllowedException(String message) {
        super(405, "method_not_allowed", message);
    }
}
