package io.slimjobs;

import java.util.Objects;

/** SlimJobs' version: the jar's Implementation-Version, or "development" when run from classes. */
public final class Version {

    public static final String CURRENT = Objects.requireNonNullElse(
            Version.class.getPackage().getImplementationVersion(), "development");

    private Version() {
    }
}
