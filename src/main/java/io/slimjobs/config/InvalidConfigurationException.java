package io.slimjobs.config;

import java.util.List;

/** The jobs configuration cannot be used as given; the message says where it is broken. Startup stops. */
public class InvalidConfigurationException extends RuntimeException {

    private final List<String> problems;

    public InvalidConfigurationException(String message) {
        this(message, List.of(message));
    }

    InvalidConfigurationException(String message, List<String> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, each naming where it is. */
    public List<String> problems() {
        return problems;
    }
}
