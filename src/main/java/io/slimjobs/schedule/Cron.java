package io.slimjobs.schedule;

import io.slimjobs.error.InvalidRequestException;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/** A 5-field Unix cron read in a time zone: parsed and validated once, then asked for its occurrences. */
public final class Cron {

    private final String expression;
    private final ZoneId zone;

    private Cron(String expression, ZoneId zone) {
        this.expression = expression;
        this.zone = zone;
    }

    /** Parses a 5-field Unix cron read in an IANA time zone (null or blank: UTC). Throws
     *  {@link InvalidRequestException} (a 400) whose message says exactly what is wrong. */
    public static Cron parse(String expression, String timeZone) {
        throw new InvalidRequestException("cron expressions are not supported yet");
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The latest occurrence at or before {@code instant} (minute precision), empty if none (e.g. before any). */
    public Optional<Instant> latestAtOrBefore(Instant instant) {
        return Optional.empty();
    }

    /** The first occurrence strictly after {@code instant}. */
    public Optional<Instant> nextAfter(Instant instant) {
        return Optional.empty();
    }
}
