package io.slimjobs.trigger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.slimjobs.config.EnvVar;
import io.slimjobs.config.JobDefinition;
import io.slimjobs.config.JobOverrides;
import io.slimjobs.config.Quantities;
import io.slimjobs.config.Resources;

/** Merges a trigger's overrides into the job definition; {@link GuardRails} has already checked them. */
final class OverrideMerger {

    private OverrideMerger() {
    }

    static ExecutionPlan merge(String jobName, JobDefinition definition, JobOverrides overrides) {
        return new ExecutionPlan(
                jobName,
                overrides.hasImage() ? overrides.image() : definition.image(),
                overrides.args() == null ? List.of() : List.copyOf(overrides.args()),
                environments(definition.environments(), overrides.environments()),
                resources(definition.resources(), overrides.resources()),
                overrides.dependsOn() == null ? definition.dependsOn() : List.copyOf(overrides.dependsOn()),
                overrides.backoffLimit() == null ? definition.backoffLimit() : overrides.backoffLimit(),
                overrides.ttlSecondsAfterFinished() == null ? definition.ttlSecondsAfterFinished()
                        : overrides.ttlSecondsAfterFinished(),
                overrides.restartPolicy() == null ? definition.restartPolicy() : overrides.restartPolicy(),
                overrides.payload(),
                definition.payloadPath(),
                null,
                definition.callbackUrl());
    }

    /** The definition's variables the request does not name, in definition order, then the request's. */
    private static List<EnvVar> environments(List<EnvVar> defined, List<EnvVar> requested) {
        if (requested == null) {
            return defined;
        }
        Set<String> requestedNames = requested.stream().map(EnvVar::name).collect(Collectors.toSet());
        List<EnvVar> merged = new ArrayList<>();
        defined.stream().filter(env -> !requestedNames.contains(env.name())).forEach(merged::add);
        merged.addAll(requested);
        return merged;
    }

    /**
     * Per resource key: the request's value where it sets one, the definition's otherwise. A caller who lowers
     * only a limit gets what Kubernetes users expect: an inherited request above the new limit comes down to it.
     * A request the caller sets is kept as asked, for the guard rails to check against the limit.
     */
    private static Resources resources(Resources defined, Resources requested) {
        if (requested == null) {
            return defined;
        }
        Map<String, String> limits = perKey(defined.limits(), requested.limits());
        Map<String, String> requests = perKey(defined.requests(), requested.requests());
        requested.limits().forEach((resource, limit) -> {
            String inherited = requested.requests().containsKey(resource) ? null : requests.get(resource);
            if (inherited != null && Quantities.amount(inherited).compareTo(Quantities.amount(limit)) > 0) {
                requests.put(resource, limit);
            }
        });
        return new Resources(requests, limits);
    }

    private static Map<String, String> perKey(Map<String, String> defined, Map<String, String> requested) {
        Map<String, String> merged = new LinkedHashMap<>(defined);
        merged.putAll(requested);
        return merged;
    }
}
