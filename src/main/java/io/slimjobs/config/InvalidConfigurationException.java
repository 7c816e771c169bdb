package io.slimjobs.config;

/** The jobs configuration cannot be used as given; the message says where it is broken. Startup stops. */
public class InvalidConfigurationException extends RuntimeException {

    public InvalidConfigurationException(String message) {
        super(message);
    }
}
