package io.slimjobs.trigger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.slimjobs.config.DefinitionRules;
import io.slimjobs.config.EnvVar;
import io.slimjobs.config.JobDefinition;
import io.slimjobs.config.JobOverrides;
import io.slimjobs.config.Quantities;
import io.slimjobs.config.Resources;
import io.slimjobs.error.InvalidRequestException;

/**
 * Holds every trigger to its job definition. A request outside the definition is rejected with a 400 that
 * names each field and its limit; nothing is clamped silently.
 */
public final class GuardRails {

    private GuardRails() {
    }

    /** Checks the overrides, merges them and checks the result; throws with every problem found. */
    public static ExecutionPlan apply(String jobName, JobDefinition definition, JobOverrides overrides) {
        List<String> problems = new ArrayList<>();
        image(definition, overrides, problems);
        args(overrides.args(), problems);
        resources(definition.resources(), overrides.resources(), problems);
        environments(overrides.environments(), problems);
        problems.addAll(DefinitionRules.dependsOn("DependsOn", overrides.dependsOn()));
        atMost("BackoffLimit", overrides.backoffLimit(), definition.backoffLimit(), problems);
        atMost("TtlSecondsAfterFinished", overrides.ttlSecondsAfterFinished(), definition.ttlSecondsAfterFinished(),
                problems);
        reject(problems);

        ExecutionPlan plan = OverrideMerger.merge(jobName, definition, overrides);
        if (plan.image().isBlank()) {
            problems.add("Image: job '" + jobName + "' has no image configured, so the request must name one "
                    + "from its ImagesWhitelist");
        }
        problems.addAll(DefinitionRules.resources("Resources", plan.resources()));
        reject(problems);
        return plan;
    }

    private static void reject(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(String.join("; ", problems));
        }
    }

    /** The definition's own image is always allowed; others must match a whitelist pattern. */
    private static void image(JobDefinition definition, JobOverrides overrides, List<String> problems) {
        if (!overrides.hasImage() || overrides.image().equals(definition.image())) {
            return;
        }
        boolean whitelisted = definition.imagesWhitelist().stream()
                .anyMatch(pattern -> wildcard(pattern).matcher(overrides.image()).matches());
        if (!whitelisted) {
            problems.add("Image: '" + overrides.image() + "' is neither the job's image '" + definition.image()
                    + "' nor matches its ImagesWhitelist " + definition.imagesWhitelist());
        }
    }

    /** `*` matches any run of characters; everything else is literal, and the whole image must match. */
    public static Pattern wildcard(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String literal : pattern.split("\\*", -1)) {
            regex.append(regex.isEmpty() ? "" : ".*").append(Pattern.quote(literal));
        }
        return Pattern.compile(regex.toString());
    }

    private static void args(List<String> args, List<String> problems) {
        for (int i = 0; args != null && i < args.size(); i++) {
            if (args.get(i) == null) {
                problems.add("Args[" + i + "]: must be a string");
            }
        }
    }

    /** Each requested quantity must be one the definition sets, and not above it. */
    private static void resources(Resources defined, Resources requested, List<String> problems) {
        if (requested == null) {
            return;
        }
        int before = problems.size();
        problems.addAll(DefinitionRules.resources("Resources", new Resources(requested.requests(), Map.of())));
        problems.addAll(DefinitionRules.resources("Resources", new Resources(Map.of(), requested.limits())));
        if (problems.size() == before) {
            notAbove("Resources.Requests", defined.requests(), requested.requests(), problems);
            notAbove("Resources.Limits", defined.limits(), requested.limits(), problems);
        }
    }

    private static void notAbove(String path, Map<String, String> defined, Map<String, String> requested,
                                 List<String> problems) {
        requested.forEach((resource, value) -> {
            String limit = defined.get(resource);
            if (limit == null) {
                problems.add(path + "." + resource + ": the job definition sets no " + resource
                        + " here, so a request cannot either");
            } else if (Quantities.amount(value).compareTo(Quantities.amount(limit)) > 0) {
                problems.add(path + "." + resource + ": " + value + " is above the job's " + limit);
            }
        });
    }

    /** Plain values only: a caller must not read a Secret or ConfigMap the job definition does not. */
    private static void environments(List<EnvVar> environments, List<String> problems) {
        problems.addAll(DefinitionRules.environments("Environments", environments));
        for (int i = 0; environments != null && i < environments.size(); i++) {
            EnvVar env = environments.get(i);
            if (env != null && env.readsSecretOrConfigMap()) {
                problems.add("Environments[" + i + "]: '" + env.name() + "' may not reference a Secret or "
                        + "ConfigMap; only the job definition can");
            }
        }
    }

    private static void atMost(String field, Integer requested, int defined, List<String> problems) {
        if (requested == null) {
            return;
        }
        if (requested < 0) {
            problems.add(field + ": " + requested + " is negative");
        } else if (requested > defined) {
            problems.add(field + ": " + requested + " is above the job's " + defined);
        }
    }
}
