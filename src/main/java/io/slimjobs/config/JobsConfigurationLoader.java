package io.slimjobs.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.slimjobs.Json;
import io.slimjobs.error.InvalidRequestException;
import io.slimjobs.events.CallbackUrls;
import io.slimjobs.kube.Names;
import io.slimjobs.schedule.Cron;
import io.slimjobs.trigger.GuardRails;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the jobs configuration from SlimFaas' environment variable or a file, in SlimFaas' JSON format, and
 * refuses to start on anything broken rather than dropping a job silently.
 */
public final class JobsConfigurationLoader {

    private static final Logger LOG = LoggerFactory.getLogger(JobsConfigurationLoader.class);

    public static final String ENV = "SlimFaas__JobsConfiguration";
    public static final String ENV_UPPER_CASE = "SLIMFAAS_JOBS_CONFIGURATION";

    /** Where a configuration came from (for messages), its JSON text, and the file it was read from, if any. */
    public record Source(String name, String json, Path file) {

        public Source(String name, String json) {
            this(name, json, null);
        }
    }

    private record Document(Map<String, JobDefinition> configurations,
                            Map<String, List<ScheduleDefinition>> schedules) {
    }

    private JobsConfigurationLoader() {
    }

    /** The configured source: the environment variable first, then the file; none when neither is set. */
    public static Optional<Source> configuredSource(Map<String, String> env, String configFile) {
        boolean fileNamed = configFile != null && !configFile.isBlank();
        for (String name : List.of(ENV, ENV_UPPER_CASE)) {
            String json = env.get(name);
            if (json != null && !json.isBlank()) {
                if (fileNamed) {
                    LOG.warn("The jobs configuration comes from the environment variable {}, which is set: the file {} "
                            + "is ignored and not watched for changes", name, configFile);
                }
                return Optional.of(new Source("environment variable " + name, json));
            }
        }
        if (!fileNamed) {
            return Optional.empty();
        }
        try {
            return Optional.of(fileSource(Path.of(configFile)));
        } catch (IOException e) {
            throw new InvalidConfigurationException("cannot read the jobs configuration file " + configFile + ": " + e);
        }
    }

    /** The configuration file as it is now. */
    static Source fileSource(Path file) throws IOException {
        return new Source("file " + file, Files.readString(file), file);
    }

    /** Only the built-in `Default` entry. */
    public static JobsConfiguration builtInDefault() {
        return new JobsConfiguration(Map.of(JobsConfiguration.DEFAULT, JobDefinition.BUILT_IN_DEFAULT), Map.of());
    }

    public static JobsConfiguration parse(Source source) {
        Document document;
        try {
            document = Json.MAPPER.readValue(source.json(), Document.class);
        } catch (JsonProcessingException e) {
            throw invalid(source, List.of(Json.describe(e)));
        }
        if (document == null) {
            throw invalid(source, List.of("the configuration must be a JSON object"));
        }
        List<String> problems = new ArrayList<>();
        Map<String, JobDefinition> parsed = lowerCaseKeys("Configurations", document.configurations(), problems);
        Map<String, List<ScheduleDefinition>> schedules = lowerCaseKeys("Schedules", document.schedules(), problems);

        JobDefinition userDefault = parsed.remove(JobsConfiguration.DEFAULT);
        JobDefinition defaultDefinition = userDefault == null ? JobDefinition.BUILT_IN_DEFAULT
                : userDefault.withDefaults(JobDefinition.DEFAULT_RESOURCES);
        Map<String, JobDefinition> definitions = new LinkedHashMap<>();
        definitions.put(JobsConfiguration.DEFAULT, defaultDefinition);
        parsed.forEach((name, definition) -> definitions.put(name,
                definition == null ? null : definition.withDefaults(defaultDefinition.resources())));

        definitions.forEach((name, definition) -> problems.addAll(problems("Configurations." + name, definition)));
        problems.addAll(kafkaTopicProblems(definitions));
        schedules.forEach((name, entries) -> {
            problems.addAll(scheduleProblems("Schedules." + name, entries));
            // a name not defined here may be a CronJob's, whose definition is not known yet: checked when it fires
            problems.addAll(guardRailProblems("Schedules." + name, name, entries, definitions.get(name)));
        });
        if (!problems.isEmpty()) {
            throw invalid(source, problems);
        }
        return new JobsConfiguration(definitions, schedules);
    }

    private static <T> Map<String, T> lowerCaseKeys(String section, Map<String, T> entries, List<String> problems) {
        Map<String, T> result = new LinkedHashMap<>();
        if (entries == null) {
            return result;
        }
        entries.forEach((key, value) -> {
            String name = key.toLowerCase(Locale.ROOT);
            nameProblem(section + "." + key, name).ifPresent(problems::add);
            if (result.containsKey(name)) {
                problems.add(section + "." + key + ": names are case-insensitive and '" + name + "' is defined twice");
            }
            result.put(name, value);
        });
        return result;
    }

    /** What is wrong with a (lower-cased) job name, if anything. */
    static Optional<String> nameProblem(String path, String name) {
        try {
            Names.jobName(name);
            return Optional.empty();
        } catch (InvalidRequestException e) {
            return Optional.of(path + ": " + e.getMessage());
        }
    }

    /** What is wrong with a definition, each problem prefixed with {@code path}. */
    static List<String> problems(String path, JobDefinition definition) {
        List<String> problems = new ArrayList<>();
        if (definition == null) {
            problems.add(path + ": must be an object");
            return problems;
        }
        for (int i = 0; i < definition.imagesWhitelist().size(); i++) {
            String pattern = definition.imagesWhitelist().get(i);
            if (pattern == null || pattern.isBlank()) {
                problems.add(path + ".ImagesWhitelist[" + i + "]: must not be empty");
            }
        }
        problems.addAll(DefinitionRules.resources(path + ".Resources", definition.resources()));
        problems.addAll(DefinitionRules.environments(path + ".Environments", definition.environments()));
        problems.addAll(DefinitionRules.dependsOn(path + ".DependsOn", definition.dependsOn()));
        problems.addAll(DefinitionRules.kafkaTopic(path + ".KafkaTopic", definition.kafkaTopic()));
        problems.addAll(DefinitionRules.payloadPath(path + ".PayloadPath", definition.payloadPath()));
        DefinitionRules.atLeast(path + ".NumberParallelJob", definition.numberParallelJob(), 1, problems);
        DefinitionRules.atLeast(path + ".BackoffLimit", definition.backoffLimit(), 0, problems);
        DefinitionRules.atLeast(path + ".TtlSecondsAfterFinished", definition.ttlSecondsAfterFinished(), 0, problems);
        if (definition.callbackUrl() != null) {
            CallbackUrls.problem(definition.callbackUrl()).ifPresent(problem ->
                    problems.add(path + ".CallbackUrl: " + problem));
        }
        return problems;
    }

    /**
     * A record on a job's KafkaTopic runs that job, so a topic names one job; and `Default` is what unknown names
     * run under, not a job a topic could name. CronJobs set no KafkaTopic, so they cannot collide with these.
     */
    private static List<String> kafkaTopicProblems(Map<String, JobDefinition> definitions) {
        List<String> problems = new ArrayList<>();
        Map<String, String> jobOfTopic = new LinkedHashMap<>();
        definitions.forEach((name, definition) -> {
            String topic = definition == null ? null : definition.kafkaTopic();
            if (topic == null) {
                return;
            }
            String path = "Configurations." + name + ".KafkaTopic";
            if (name.equals(JobsConfiguration.DEFAULT)) {
                problems.add(path + ": Default runs the job names nothing else defines; a topic must name its own job");
            }
            String other = jobOfTopic.putIfAbsent(topic, name);
            if (other != null) {
                problems.add(path + ": '" + topic + "' is already the KafkaTopic of job '" + other
                        + "'; a topic triggers one job");
            }
        });
        return problems;
    }

    /** What is wrong with a job's schedule entries, each problem prefixed with {@code path}. */
    static List<String> scheduleProblems(String path, List<ScheduleDefinition> entries) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; entries != null && i < entries.size(); i++) {
            ScheduleDefinition entry = entries.get(i);
            String entryPath = path + "[" + i + "]";
            if (entry == null || entry.schedule() == null || entry.schedule().isBlank()) {
                problems.add(entryPath + ".Schedule: is required");
            } else {
                check(entryPath + ".Schedule", () -> Cron.parse(entry.schedule(), null), problems);
            }
            if (entry != null) {
                check(entryPath + ".TimeZone", () -> Cron.timeZone(entry.timeZone()), problems);
            }
        }
        return problems;
    }

    /**
     * Each entry's overrides are ones its job's guard rails accept, checked by the trigger's own code: a schedule that
     * could never run is refused now rather than at each of its occurrences.
     */
    private static List<String> guardRailProblems(String path, String jobName, List<ScheduleDefinition> entries,
                                                  JobDefinition definition) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; definition != null && entries != null && i < entries.size(); i++) {
            ScheduleDefinition entry = entries.get(i);
            if (entry != null) {
                check(path + "[" + i + "]", () -> GuardRails.apply(jobName, definition, entry.overrides()), problems);
            }
        }
        return problems;
    }

    private static void check(String path, Runnable check, List<String> problems) {
        try {
            check.run();
        } catch (InvalidRequestException e) {
            problems.add(path + ": " + e.getMessage());
        }
    }

    private static InvalidConfigurationException invalid(Source source, List<String> problems) {
        return new InvalidConfigurationException("the jobs configuration in " + source.name() + " is invalid:\n  - "
                + String.join("\n  - ", problems), problems);
    }
}
