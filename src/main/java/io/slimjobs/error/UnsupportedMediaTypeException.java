package io.slimjobs.error;

/** The request body is neither JSON nor form-encoded JSON. */
public class UnsupportedMediaTypeException extends SlimJobsException {

    public UnsupportedMediaTypeException(String message) {
        super(415, "unsupported_media_type", message);
    }
}
