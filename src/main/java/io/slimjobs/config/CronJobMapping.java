package io.slimjobs.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.slimjobs.Json;
import org.slf4j.event.Level;

/**
 * Reads a job definition from a CronJob the way SlimFaas does: a CronJob annotated `SlimFaas/Job: "true"` and
 * suspended is a template, never run by Kubernetes itself (its `spec.schedule` is ignored); its first container and
 * its `SlimFaas/*` annotations give the definition, which is held to the same rules as a configured one.
 */
public final class CronJobMapping {

    public static final String JOB = "SlimFaas/Job";
    public static final String IMAGES_WHITELIST = "SlimFaas/JobImagesWhitelist";
    public static final String VISIBILITY = "SlimFaas/DefaultVisibility";
    public static final String NUMBER_PARALLEL_JOB = "SlimFaas/NumberParallelJob";
    public static final String DEPENDS_ON = "SlimFaas/DependsOn";
    public static final String SCHEDULES = "SlimFaas/Schedules";

    private static final String POD_SPEC = "spec.jobTemplate.spec.template.spec";
    private static final TypeReference<List<ScheduleDefinition>> SCHEDULE_LIST = new TypeReference<>() {
    };

    /**
     * What a CronJob gives: a definition, or nothing; and what to say about it, at most one line, which is the same
     * for as long as the CronJob stays the same.
     */
    public record Result(String cronJob, CronJobDefinition definition, Level level, String message) {

        static Result silent(String cronJob) {
            return new Result(cronJob, null, null, null);
        }
    }

    private CronJobMapping() {
    }

    public static Result map(CronJob cronJob) {
        String cronJobName = cronJob.getMetadata().getName();
        Map<String, String> annotations = cronJob.getMetadata().getAnnotations() == null ? Map.of()
                : cronJob.getMetadata().getAnnotations();
        if (!"true".equalsIgnoreCase(trimmed(annotations.get(JOB)))) {
            return Result.silent(cronJobName);
        }
        if (cronJob.getSpec() == null || !Boolean.TRUE.equals(cronJob.getSpec().getSuspend())) {
            return new Result(cronJobName, null, Level.WARN, "CronJob " + cronJobName + " is annotated " + JOB
                    + ": \"true\" but is not suspended, so it defines no job: set its spec.suspend to true (a "
                    + "running CronJob would start Jobs by itself, outside SlimJobs' queue and limits)");
        }
        String name = cronJobName.toLowerCase(Locale.ROOT);
        if (name.equals(JobsConfiguration.DEFAULT)) {
            return new Result(cronJobName, null, Level.WARN, "CronJob " + cronJobName + " is ignored: the "
                    + "Default entry comes from the jobs configuration only");
        }
        List<String> problems = new ArrayList<>();
        JobsConfigurationLoader.nameProblem("metadata.name", name).ifPresent(problems::add);
        JobSpec jobSpec = cronJob.getSpec().getJobTemplate() == null ? null : cronJob.getSpec().getJobTemplate().getSpec();
        PodSpec podSpec = jobSpec == null || jobSpec.getTemplate() == null ? null : jobSpec.getTemplate().getSpec();
        Container container = podSpec == null || podSpec.getContainers() == null || podSpec.getContainers().isEmpty()
                ? null : podSpec.getContainers().get(0);
        if (container == null) {
            problems.add(POD_SPEC + ".containers: there is none to read the job from");
            return invalid(cronJobName, problems);
        }
        JobDefinition definition = new JobDefinition(
                container.getImage(),
                list(annotations.get(IMAGES_WHITELIST)),
                resources(container.getResources()),
                list(annotations.get(DEPENDS_ON)),
                environments(container, problems),
                jobSpec.getBackoffLimit(),
                visibility(annotations.get(VISIBILITY), problems),
                numberParallelJob(annotations.get(NUMBER_PARALLEL_JOB), problems),
                jobSpec.getTtlSecondsAfterFinished(),
                restartPolicy(podSpec.getRestartPolicy(), problems),
                null, null, null);
        List<ScheduleDefinition> schedules = schedules(annotations.get(SCHEDULES), problems);
        // the configuration's own rules; their paths name definition fields, which the README maps to their sources
        JobsConfigurationLoader.problems("", definition.withDefaults(null)).stream()
                .map(problem -> problem.substring(1)).forEach(problems::add);
        if (schedules != null) {
            problems.addAll(JobsConfigurationLoader.scheduleProblems(SCHEDULES, schedules));
        }
        if (!problems.isEmpty()) {
            return invalid(cronJobName, problems);
        }
        CronJobDefinition mapped = new CronJobDefinition(name, definition, schedules);
        if (container.getEnvFrom() != null && !container.getEnvFrom().isEmpty()) {
            return new Result(cronJobName, mapped, Level.WARN, "CronJob " + cronJobName + " defines job " + name
                    + " without the envFrom of its first container, which a job definition cannot hold: list those "
                    + "variables under env (secretKeyRef, configMapKeyRef) to pass them to its executions");
        }
        return new Result(cronJobName, mapped, null, null);
    }

    private static Result invalid(String cronJobName, List<String> problems) {
        return new Result(cronJobName, null, Level.ERROR, "CronJob " + cronJobName + " is ignored, its job "
                + "definition is invalid: " + String.join("; ", problems));
    }

    private static String trimmed(String value) {
        return value == null ? null : value.trim();
    }

    /** A comma-separated annotation, items trimmed, empty ones dropped; null when the annotation is absent. */
    private static List<String> list(String value) {
        return value == null ? null
                : Arrays.stream(value.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
    }

    /** Requests and limits as Kubernetes writes them; none at all means the `Default` entry's. */
    private static Resources resources(ResourceRequirements requirements) {
        if (requirements == null || isEmpty(requirements.getRequests()) && isEmpty(requirements.getLimits())) {
            return null;
        }
        return new Resources(quantities(requirements.getRequests()), quantities(requirements.getLimits()));
    }

    private static boolean isEmpty(Map<String, Quantity> quantities) {
        return quantities == null || quantities.isEmpty();
    }

    private static Map<String, String> quantities(Map<String, Quantity> quantities) {
        Map<String, String> result = new LinkedHashMap<>();
        if (quantities != null) {
            quantities.forEach((resource, quantity) -> result.put(resource, quantity == null ? "" : quantity.toString()));
        }
        return result;
    }

    private static List<EnvVar> environments(Container container, List<String> problems) {
        if (container.getEnv() == null) {
            return null;
        }
        List<EnvVar> environments = new ArrayList<>();
        for (int i = 0; i < container.getEnv().size(); i++) {
            io.fabric8.kubernetes.api.model.EnvVar env = container.getEnv().get(i);
            EnvVarSource from = env.getValueFrom();
            if (from == null) {
                environments.add(new EnvVar(env.getName(), env.getValue(), null, null, null, null));
            } else if (from.getFileKeyRef() != null || !from.getAdditionalProperties().isEmpty()) {
                problems.add(POD_SPEC + ".containers[0].env[" + i + "]: '" + env.getName() + "' is read from a "
                        + "source a job definition cannot hold (value, secretKeyRef, configMapKeyRef, fieldRef or "
                        + "resourceFieldRef)");
            } else {
                environments.add(new EnvVar(env.getName(), env.getValue(),
                        from.getSecretKeyRef() == null ? null
                                : new EnvVar.KeyRef(from.getSecretKeyRef().getName(), from.getSecretKeyRef().getKey()),
                        from.getConfigMapKeyRef() == null ? null : new EnvVar.KeyRef(
                                from.getConfigMapKeyRef().getName(), from.getConfigMapKeyRef().getKey()),
                        from.getFieldRef() == null ? null : new EnvVar.FieldRef(from.getFieldRef().getFieldPath()),
                        from.getResourceFieldRef() == null ? null : new EnvVar.ResourceFieldRef(
                                from.getResourceFieldRef().getContainerName(), from.getResourceFieldRef().getResource(),
                                from.getResourceFieldRef().getDivisor() == null ? null
                                        : from.getResourceFieldRef().getDivisor().toString())));
            }
        }
        return environments;
    }

    private static Visibility visibility(String value, List<String> problems) {
        if (value == null) {
            return null;
        }
        for (Visibility visibility : Visibility.values()) {
            if (visibility.name().equalsIgnoreCase(value.trim())) {
                return visibility;
            }
        }
        problems.add("annotation " + VISIBILITY + ": '" + value + "' is neither Public nor Private");
        return null;
    }

    private static Integer numberParallelJob(String value, List<String> problems) {
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            problems.add("annotation " + NUMBER_PARALLEL_JOB + ": '" + value + "' is not a whole number");
            return null;
        }
    }

    private static RestartPolicy restartPolicy(String value, List<String> problems) {
        if (value == null) {
            return null;
        }
        for (RestartPolicy policy : RestartPolicy.values()) {
            if (policy.name().equals(value)) {
                return policy;
            }
        }
        problems.add(POD_SPEC + ".restartPolicy: '" + value + "' is neither Never nor OnFailure, the policies a Job "
                + "accepts");
        return null;
    }

    /** The annotation's entries; null when it is absent or blank (SlimFaas reads a blank one as none). */
    private static List<ScheduleDefinition> schedules(String value, List<String> problems) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            List<ScheduleDefinition> schedules = Json.MAPPER.readValue(value, SCHEDULE_LIST);
            if (schedules == null) {
                problems.add("annotation " + SCHEDULES + ": must be a JSON array of schedule entries");
            }
            return schedules;
        } catch (JsonProcessingException e) {
            problems.add("annotation " + SCHEDULES + ": " + Json.describe(e));
            return null;
        }
    }
}
