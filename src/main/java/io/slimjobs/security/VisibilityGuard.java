package io.slimjobs.security;

import io.slimjobs.config.JobDefinition;
import io.slimjobs.config.Visibility;
import io.slimjobs.error.ForbiddenException;

/** Private jobs serve trusted callers only, for every verb; checked before anything else is looked up. */
public final class VisibilityGuard {

    private VisibilityGuard() {
    }

    public static void check(String jobName, JobDefinition definition, boolean trustedCaller) {
        if (definition.visibility() == Visibility.Private && !trustedCaller) {
            throw new ForbiddenException("job '" + jobName + "' is Private: only callers inside the cluster may use it");
        }
    }
}
