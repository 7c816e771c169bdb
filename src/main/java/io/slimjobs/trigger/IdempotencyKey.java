package io.slimjobs.trigger;

import java.util.regex.Pattern;

import io.slimjobs.error.InvalidRequestException;

/** The `Idempotency-Key` header, the same at every door: a caller's name for one execution of a job. */
public final class IdempotencyKey {

    /** Visible ASCII only: the key is kept in an annotation and logged, and must read the same everywhere. */
    private static final Pattern VALID = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private IdempotencyKey() {
    }

    /** The header's value, or a 400 naming the header; null when there is none. */
    public static String checked(String value) {
        if (value != null && !VALID.matcher(value).matches()) {
            throw new InvalidRequestException(TriggerHeaders.IDEMPOTENCY_KEY + ": must be 1 to 255 visible ASCII characters (no spaces)");
        }
        return value;
    }
}
