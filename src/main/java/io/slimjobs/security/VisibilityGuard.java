package io.slimjobs.security;

import io.slimjobs.config.JobDefinition;
import io.slimjobs.config.JobsConfiguration;
import io.slimjobs.config.Visibility;
import io.slimjobs.error.ForbiddenException;
import io.slimjobs.kube.Names;

/** Private jobs serve trusted callers only, for every verb; checked before anything else is looked up. */
public final class VisibilityGuard {

    private VisibilityGuard() {
    }

    /** The job a caller names, once its name is checked and the caller may use it: what every verb checks first. */
    public static String visibleJob(String rawName, JobsConfiguration configuration, boolean trustedCaller) {
        String jobName = Names.jobName(rawName);
        check(jobName, configuration.definitionFor(jobName), trustedCaller);
        return jobName;
    }

    public static void check(String jobName, JobDefinition definition, boolean trustedCaller) {
        if (definition.visibility() == Visibility.Private && !trustedCaller) {
            throw new ForbiddenException("job '" + jobName + "' is Private: only callers inside the cluster may use it");
        }
    }
}
