package io.slimjobs.trigger;

import java.util.List;

import io.slimjobs.config.EnvVar;
import io.slimjobs.config.Resources;
import io.slimjobs.config.RestartPolicy;

/** What one execution runs: the job definition with the trigger's overrides merged in and checked. */
public record ExecutionPlan(String jobName, String image, List<String> args, List<EnvVar> environments,
                            Resources resources, List<String> dependsOn, int backoffLimit,
                            int ttlSecondsAfterFinished, RestartPolicy restartPolicy) {
}
