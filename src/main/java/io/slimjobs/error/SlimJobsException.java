package io.slimjobs.error;

/**
 * A request SlimJobs refuses, with the HTTP status and the short error code its JSON answer carries.
 * Every door (HTTP, Kafka, schedules) raises these; only the HTTP door turns them into responses.
 */
public abstract class SlimJobsException extends RuntimeException {

    private final int status;
    private final String error;

    protected SlimJobsException(int status, String error, String message) {
        super(message);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }
}
