package io.slimjobs.error;

/** The request breaks a rule: a bad name, malformed JSON or an override outside the job definition's limits. */
public class InvalidRequestException extends SlimJobsException {

    public InvalidRequestException(String message) {
        super(400, "invalid_request", message);
    }
}
