package io.slimjobs.error;

/** The path and verb exist, but answer none of the media types the request's `Accept` allows. */
public class NotAcceptableException extends SlimJobsException {

    public NotAcceptableException(String message) {
        super(406, "not_acceptable", message);
    }
}
