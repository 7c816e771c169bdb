package io.slimjobs.observe;

import java.util.Locale;

/** What SlimJobs decided about an execution, or saw happen to it. */
public enum Decision {
    /** A trigger created its suspended Job. */
    QUEUED,
    /** The leader unsuspended its Job: a slot was free and its dependencies ready. */
    RELEASED,
    /** The leader holds it back for a reason other than a full cap (a dependency not ready); said when it changes. */
    WAITING,
    /** Its Job turned Complete or Failed; seen by the leader. */
    FINISHED,
    /** A caller deleted it. */
    DELETED;

    /** The lower-case word logs, metrics and Kubernetes Events use. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
