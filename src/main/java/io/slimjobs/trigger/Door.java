package io.slimjobs.trigger;

import java.util.Locale;

/** Where a trigger came in: every door ends in the one trigger pipeline, and metrics and logs say which it took. */
public enum Door {
    HTTP,
    KAFKA,
    SCHEDULE,
    /** a Camel route of the user's, loaded beside the built-in ones */
    ROUTE;

    /** The door as a metric tag value. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
