package io.slimjobs.error;

/** The request body is larger than `slimjobs.http.max-body-size`. */
public class PayloadTooLargeException extends SlimJobsException {

    public PayloadTooLargeException(String message) {
        super(413, "payload_too_large", message);
    }
}
