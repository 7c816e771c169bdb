package io.slimjobs.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.slimjobs.kube.Names;

/**
 * Well-formedness rules shared by job definitions and trigger overrides. Each method returns the problems it
 * finds, each prefixed with the field path, so a caller can report all of them at once.
 */
public final class DefinitionRules {

    /** Kafka's own rule for topic names, besides `.` and `..`, which it refuses too. */
    private static final Pattern KAFKA_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    /** The folder an execution's CloudEvent is mounted in, JobSink's. */
    public static final String EVENT_FOLDER = "/etc/jobsink-event";

    private DefinitionRules() {
    }

    /** A topic name Kafka accepts; null is none. */
    public static List<String> kafkaTopic(String path, String topic) {
        if (topic == null) {
            return List.of();
        }
        if (!KAFKA_TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            return List.of(path + ": '" + topic + "' is not a Kafka topic name (1 to 249 of a-z, A-Z, 0-9, '.', "
                    + "'_' and '-', and neither '.' nor '..')");
        }
        return List.of();
    }

    /** Every quantity parses and is not negative, and no request is above the limit of the same resource. */
    public static List<String> resources(String path, Resources resources) {
        List<String> problems = new ArrayList<>();
        if (resources == null) {
            return problems;
        }
        quantities(path + ".Requests", resources.requests(), problems);
        quantities(path + ".Limits", resources.limits(), problems);
        if (problems.isEmpty()) {
            resources.requests().forEach((resource, request) -> {
                String limit = resources.limits().get(resource);
                if (limit != null && Quantities.amount(request).compareTo(Quantities.amount(limit)) > 0) {
                    problems.add(path + ".Requests." + resource + ": " + request + " is above the limit " + limit);
                }
            });
        }
        return problems;
    }

    private static void quantities(String path, Map<String, String> quantities, List<String> problems) {
        quantities.forEach((resource, value) -> {
            try {
                BigDecimal ignored = Quantities.amount(value);
            } catch (IllegalArgumentException e) {
                problems.add(path + "." + resource + ": " + e.getMessage());
            }
        });
    }

    /** Each variable has a name and at most one source (a value or one reference). */
    public static List<String> environments(String path, List<EnvVar> environments) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; environments != null && i < environments.size(); i++) {
            EnvVar env = environments.get(i);
            if (env == null || env.name() == null || env.name().isBlank()) {
                problems.add(path + "[" + i + "].Name: is required");
            } else if (env.sourceCount() > 1) {
                problems.add(path + "[" + i + "]: '" + env.name() + "' sets more than one of Value, SecretRef, "
                        + "ConfigMapRef, FieldRef and ResourceFieldRef");
            }
        }
        return problems;
    }

    /** Dependencies name Deployments or StatefulSets, so each must be a valid Kubernetes name. */
    public static List<String> dependsOn(String path, List<String> dependsOn) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; dependsOn != null && i < dependsOn.size(); i++) {
            if (!Names.isDnsLabel(dependsOn.get(i))) {
                problems.add(path + "[" + i + "]: '" + dependsOn.get(i) + "' is not a Deployment or StatefulSet name");
            }
        }
        return problems;
    }

    /**
     * A folder to mount the payload in: absolute and normalised, so that the mount path is the one the job reads, and
     * neither the root nor the CloudEvent's folder, which the payload's volume would hide or meet.
     */
    public static List<String> payloadPath(String path, String payloadPath) {
        if (payloadPath == null) {
            return List.of();
        }
        String problem = !payloadPath.startsWith("/") ? "must be an absolute path"
                : payloadPath.equals("/") ? "must not be the root folder"
                : payloadPath.endsWith("/") ? "must not end with '/'"
                : List.of(payloadPath.substring(1).split("/", -1)).stream()
                        .anyMatch(segment -> segment.isEmpty() || segment.equals(".") || segment.equals(".."))
                        ? "must be normalised: no empty, '.' or '..' segments"
                : payloadPath.equals(EVENT_FOLDER) || payloadPath.startsWith(EVENT_FOLDER + "/")
                        ? "must not be or lie in " + EVENT_FOLDER + ", where the CloudEvent is mounted"
                : null;
        return problem == null ? List.of() : List.of(path + ": '" + payloadPath + "' " + problem);
    }

    public static void atLeast(String path, Integer value, int minimum, List<String> problems) {
        if (value != null && value < minimum) {
            problems.add(path + ": " + value + " is below " + minimum);
        }
    }
}
