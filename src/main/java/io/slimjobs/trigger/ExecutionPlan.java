package io.slimjobs.trigger;

import java.util.List;

import io.slimjobs.config.EnvVar;
import io.slimjobs.config.Resources;
import io.slimjobs.config.RestartPolicy;

/**
 * What one execution runs: the job definition with the trigger's overrides merged in and checked.
 *
 * @param callbackUrl where its end is announced; null for nowhere
 */
public record ExecutionPlan(String jobName, String image, List<String> args, List<EnvVar> environments,
                            Resources resources, List<String> dependsOn, int backoffLimit,
                            int ttlSecondsAfterFinished, RestartPolicy restartPolicy, String callbackUrl) {

    ExecutionPlan withCallbackUrl(String url) {
        return new ExecutionPlan(jobName, image, args, environments, resources, dependsOn, backoffLimit,
                ttlSecondsAfterFinished, restartPolicy, url);
    }
}
