package io.slimjobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.slimjobs.config.JobsConfigurationLoader.Source;

class JobsConfigurationLoaderTest {

    private static final String SOURCE = "environment variable SlimFaas__JobsConfiguration";
    private static final Resources HUNDRED = new Resources(Map.of("cpu", "100m", "memory", "100Mi"),
            Map.of("cpu", "100m", "memory", "100Mi"));

    @TempDir
    Path dir;

    // ---- where the configuration comes from

    @Test
    void should_prefer_the_slimfaas_variable_over_the_upper_case_one_and_the_file() throws IOException {
        Path file = Files.writeString(dir.resolve("jobs.json"), "{\"from\": \"file\"}");
        Map<String, String> env = Map.of(JobsConfigurationLoader.ENV, "{\"from\": \"env\"}",
                JobsConfigurationLoader.ENV_UPPER_CASE, "{\"from\": \"upper\"}");

        Source source = JobsConfigurationLoader.configuredSource(env, file.toString()).orElseThrow();

        assertEquals(new Source(SOURCE, "{\"from\": \"env\"}"), source);
    }

    @Test
    void should_prefer_the_upper_case_variable_over_the_file() throws IOException {
        Path file = Files.writeString(dir.resolve("jobs.json"), "{\"from\": \"file\"}");
        Map<String, String> env = Map.of(JobsConfigurationLoader.ENV_UPPER_CASE, "{\"from\": \"upper\"}");

        Source source = JobsConfigurationLoader.configuredSource(env, file.toString()).orElseThrow();

        assertEquals(new Source("environment variable SLIMFAAS_JOBS_CONFIGURATION", "{\"from\": \"upper\"}"), source);
    }

    @Test
    void should_ignore_blank_variables_and_read_the_file() throws IOException {
        Path file = Files.writeString(dir.resolve("jobs.json"), "{\"from\": \"file\"}");
        Map<String, String> env = Map.of(JobsConfigurationLoader.ENV, "  ", JobsConfigurationLoader.ENV_UPPER_CASE, "");

        Source source = JobsConfigurationLoader.configuredSource(env, file.toString()).orElseThrow();

        assertEquals(new Source("file " + file, "{\"from\": \"file\"}", file), source);
    }

    @Test
    void should_have_no_source_when_neither_variable_nor_file_is_set() {
        assertEquals(Optional.empty(), JobsConfigurationLoader.configuredSource(Map.of(), null));
        assertEquals(Optional.empty(), JobsConfigurationLoader.configuredSource(Map.of(JobsConfigurationLoader.ENV, " "), ""));
    }

    @Test
    void should_refuse_an_unreadable_file_naming_it() {
        String missing = dir.resolve("missing.json").toString();

        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> JobsConfigurationLoader.configuredSource(Map.of(), missing));

        assertTrue(e.getMessage().contains(missing), e.getMessage());
    }

    // ---- parsing

    @Test
    void should_match_property_names_ignoring_case() {
        JobsConfiguration configuration = parse("""
                {"configurations": {"fib": {"image": "fib:1", "NUMBERPARALLELJOB": 3, "visibility": "public"}}}
                """);

        JobDefinition fib = configuration.definitions().get("fib");
        assertEquals("fib:1", fib.image());
        assertEquals(3, fib.numberParallelJob());
        assertEquals(Visibility.Public, fib.visibility());
    }

    @Test
    void should_load_slimfaas_documentation_example_with_its_comments_and_trailing_comma() {
        JobsConfiguration configuration = parse("""
                {
                  "Configurations": {
                    "fibonacci": {
                      "Image": "axaguildev/fibonacci-batch:latest",
                      "ImagesWhitelist": [],
                      "Resources": {
                        "Requests": {
                          "cpu": "400m",
                          "memory": "400Mi"
                        },
                        "Limits": {
                          "cpu": "400m",
                          "memory": "400Mi"
                        }
                      },
                      "DependsOn": ["fibonacci1"],
                      "Environments": [],
                      "BackoffLimit": 1,
                      "Visibility": "Public",
                      "NumberParallelJob": 2,
                      "TtlSecondsAfterFinished": 36000,
                      "RestartPolicy": "Never"
                    }
                  },
                  "Schedules": {
                      "fibonacci": [
                        {
                          "Schedule": "0 0 * * *",  # every day at midnight
                          "Args": ["42"]
                        },
                        {
                          "Schedule": "0 0 * * 0",  # every Sunday at midnight
                          "Args": ["42"],
                          "DependsOn": ["fibonacci2"],
                        }
                      ]
                    }
                }
                """);

        JobDefinition fibonacci = configuration.definitions().get("fibonacci");
        assertEquals("axaguildev/fibonacci-batch:latest", fibonacci.image());
        assertEquals(new Resources(Map.of("cpu", "400m", "memory", "400Mi"), Map.of("cpu", "400m", "memory", "400Mi")),
                fibonacci.resources());
        assertEquals(List.of("fibonacci1"), fibonacci.dependsOn());
        assertEquals(2, fibonacci.numberParallelJob());
        assertEquals(36000, fibonacci.ttlSecondsAfterFinished());
        assertEquals(2, configuration.schedules().get("fibonacci").size());
    }

    @Test
    void should_tolerate_double_slash_comments() {
        JobsConfiguration configuration = parse("""
                {
                  // the jobs
                  "Configurations": {"fib": {"Image": "fib:1" /* inline */}} // done
                }
                """);

        assertEquals("fib:1", configuration.definitions().get("fib").image());
    }

    @Test
    void should_lower_case_job_names_of_definitions_and_schedules() {
        JobsConfiguration configuration = parse("""
                {"Configurations": {"Fibonacci": {"Image": "fib:1"}},
                 "Schedules": {"FIBONACCI": [{"Schedule": "0 0 * * *"}]}}
                """);

        assertEquals(List.of("default", "fibonacci"), List.copyOf(configuration.definitions().keySet()));
        assertEquals(List.of("fibonacci"), List.copyOf(configuration.schedules().keySet()));
        assertEquals("fib:1", configuration.definitionFor("fibonacci").image());
    }

    @Test
    void should_fill_the_defaults_of_unset_fields() {
        JobDefinition fib = parse("{\"Configurations\": {\"fib\": {\"Image\": \"fib:1\"}}}").definitions().get("fib");

        assertEquals(1, fib.backoffLimit());
        assertEquals(60, fib.ttlSecondsAfterFinished());
        assertEquals(RestartPolicy.Never, fib.restartPolicy());
        assertEquals(1, fib.numberParallelJob());
        assertEquals(Visibility.Private, fib.visibility());
        assertEquals(List.of(), fib.imagesWhitelist());
        assertEquals(List.of(), fib.dependsOn());
        assertEquals(List.of(), fib.environments());
    }

    @Test
    void should_keep_each_job_s_own_kafka_topic_of_any_name_kafka_accepts() {
        String longest = "t".repeat(249);
        JobsConfiguration configuration = parse("{\"Configurations\": {\"fib\": {\"KafkaTopic\": \"orders.v2_EU-1\"}, "
                + "\"report\": {\"KafkaTopic\": \"" + longest + "\"}, \"other\": {}}}");

        assertEquals("orders.v2_EU-1", configuration.definitions().get("fib").kafkaTopic());
        assertEquals(longest, configuration.definitions().get("report").kafkaTopic());
        assertNull(configuration.definitions().get("other").kafkaTopic());
    }

    @Test
    void should_provide_the_built_in_default_when_the_configuration_has_none() {
        JobsConfiguration configuration = parse("{\"Configurations\": {\"fib\": {\"Image\": \"fib:1\"}}}");

        JobDefinition fallback = configuration.definitionFor("unknown");
        assertEquals(configuration.definitions().get(JobsConfiguration.DEFAULT), fallback);
        assertEquals("", fallback.image());
        assertEquals(HUNDRED, fallback.resources());
        assertEquals(Visibility.Private, fallback.visibility());
        assertEquals(fallback, JobsConfigurationLoader.builtInDefault().definitionFor("unknown"));
    }

    @Test
    void should_give_a_user_default_without_resources_100m_and_100Mi() {
        JobDefinition fallback = parse("{\"Configurations\": {\"Default\": {\"Visibility\": \"Public\"}}}")
                .definitionFor("unknown");

        assertEquals(HUNDRED, fallback.resources());
        assertEquals(Visibility.Public, fallback.visibility());
    }

    @Test
    void should_hold_a_definition_without_resources_to_the_default_entry_resources() {
        JobsConfiguration configuration = parse("""
                {"Configurations": {
                  "fib": {"Image": "fib:1"},
                  "Default": {"Resources": {"Requests": {"cpu": "200m"}, "Limits": {"cpu": "1", "memory": "1Gi"}}}
                }}
                """);

        assertEquals(new Resources(Map.of("cpu", "200m"), Map.of("cpu", "1", "memory", "1Gi")),
                configuration.definitions().get("fib").resources());
        assertEquals(HUNDRED, parse("{\"Configurations\": {\"fib\": {}}}").definitions().get("fib").resources());
    }

    @Test
    void should_read_environment_values_and_references() {
        JobDefinition fib = parse("""
                {"Configurations": {"fib": {"Environments": [
                  {"name": "PLAIN", "value": "1"},
                  {"Name": "PASSWORD", "SecretRef": {"Name": "db", "Key": "password"}},
                  {"Name": "MODE", "ConfigMapRef": {"Name": "settings", "Key": "mode"}},
                  {"Name": "POD", "FieldRef": {"FieldPath": "metadata.name"}},
                  {"Name": "CPU", "ResourceFieldRef": {"ContainerName": "main", "Resource": "limits.cpu", "Divisor": "1m"}}
                ]}}}
                """).definitions().get("fib");

        assertEquals(List.of(
                new EnvVar("PLAIN", "1", null, null, null, null),
                new EnvVar("PASSWORD", null, new EnvVar.KeyRef("db", "password"), null, null, null),
                new EnvVar("MODE", null, null, new EnvVar.KeyRef("settings", "mode"), null, null),
                new EnvVar("POD", null, null, null, new EnvVar.FieldRef("metadata.name"), null),
                new EnvVar("CPU", null, null, null, null, new EnvVar.ResourceFieldRef("main", "limits.cpu", "1m"))),
                fib.environments());
    }

    @Test
    void should_keep_schedules_with_their_overrides() {
        List<ScheduleDefinition> schedules = parse("""
                {"Configurations": {"fib": {"Image": "fib:1"}},
                 "Schedules": {"fib": [
                  {"Schedule": "0 0 * * *", "Args": ["42"]},
                  {"schedule": "@hourly", "TimeZone": "Europe/Paris", "Args": ["1", "2"], "DependsOn": ["cache"],
                   "BackoffLimit": 0}
                ]}}
                """).schedules().get("fib");

        assertEquals("0 0 * * *", schedules.get(0).schedule());
        assertNull(schedules.get(0).timeZone());
        assertEquals("Europe/Paris", schedules.get(1).timeZone());
        assertEquals(List.of("42"), schedules.get(0).overrides().args());
        assertEquals("@hourly", schedules.get(1).schedule());
        assertEquals(List.of("1", "2"), schedules.get(1).overrides().args());
        assertEquals(List.of("cache"), schedules.get(1).overrides().dependsOn());
        assertEquals(0, schedules.get(1).overrides().backoffLimit());
    }

    // ---- broken configurations: each names the source and where it is broken

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            NumberParallelJob is not a number | {'Configurations': {'fib': {'NumberParallelJob': 'many'}}}          | `Configurations.fib.NumberParallelJob: `
            NumberParallelJob is zero         | {'Configurations': {'fib': {'NumberParallelJob': 0}}}               | Configurations.fib.NumberParallelJob: 0 is below 1
            BackoffLimit is negative          | {'Configurations': {'fib': {'BackoffLimit': -1}}}                   | Configurations.fib.BackoffLimit: -1 is below 0
            TtlSecondsAfterFinished negative  | {'Configurations': {'fib': {'TtlSecondsAfterFinished': -5}}}        | Configurations.fib.TtlSecondsAfterFinished: -5 is below 0
            Visibility is unknown             | {'Configurations': {'fib': {'Visibility': 'Internal'}}}             | `Configurations.fib.Visibility: `
            RestartPolicy is unknown          | {'Configurations': {'fib': {'RestartPolicy': 'Always'}}}            | `Configurations.fib.RestartPolicy: `
            quantity does not parse           | {'Configurations': {'fib': {'Resources': {'Limits': {'cpu': 'lots'}}}}} | Configurations.fib.Resources.Limits.cpu: "lots" is not a Kubernetes quantity
            quantity is negative              | {'Configurations': {'fib': {'Resources': {'Requests': {'memory': '-1Mi'}}}}} | Configurations.fib.Resources.Requests.memory: "-1Mi" is negative
            request above limit               | {'Configurations': {'fib': {'Resources': {'Requests': {'cpu': '0.5'}, 'Limits': {'cpu': '400m'}}}}} | Configurations.fib.Resources.Requests.cpu: 0.5 is above the limit 400m
            name starts with a dash           | {'Configurations': {'-bad': {}}}                                    | Configurations.-bad: job name '-bad'
            name is too short                 | {'Configurations': {'ab': {}}}                                      | Configurations.ab: job name 'ab'
            schedule name is invalid          | {'Schedules': {'a.b': [{'Schedule': '@daily'}]}}                    | Schedules.a.b: job name 'a.b'
            names equal ignoring case         | {'Configurations': {'fib': {}, 'FIB': {}}}                          | Configurations.FIB: names are case-insensitive and 'fib' is defined twice
            definition is not an object       | {'Configurations': {'fib': null}}                                   | Configurations.fib: must be an object
            env entry without Name            | {'Configurations': {'fib': {'Environments': [{'Value': '1'}]}}}     | Configurations.fib.Environments[0].Name: is required
            env entry with two sources        | {'Configurations': {'fib': {'Environments': [{'Name': 'A', 'Value': '1', 'SecretRef': {'Name': 's', 'Key': 'k'}}]}}} | Configurations.fib.Environments[0]: 'A' sets more than one of Value, SecretRef
            DependsOn is not a DNS name       | {'Configurations': {'fib': {'DependsOn': ['db', 'My_Db']}}}         | Configurations.fib.DependsOn[1]: 'My_Db' is not a Deployment or StatefulSet name
            empty whitelist pattern           | {'Configurations': {'fib': {'ImagesWhitelist': ['fib:*', ' ']}}}    | Configurations.fib.ImagesWhitelist[1]: must not be empty
            schedule without Schedule         | {'Schedules': {'fib': [{'Schedule': '@daily'}, {'Args': ['1']}]}}   | Schedules.fib[1].Schedule: is required
            schedule with a null Schedule     | {'Schedules': {'fib': [{'Schedule': null, 'Args': ['1']}]}}         | Schedules.fib[0].Schedule: is required
            schedule with a blank Schedule    | {'Schedules': {'fib': [{'Schedule': ' '}]}}                         | Schedules.fib[0].Schedule: is required
            schedule override of a wrong type | {'Schedules': {'fib': [{'Schedule': '@daily', 'BackoffLimit': 'x'}]}} | `Schedules.fib[0].BackoffLimit: `
            Schedule is not a string          | {'Schedules': {'fib': [{'Schedule': 5}]}}                           | Schedules.fib[0]: Schedule: must be a string, not number
            schedule outside the guard rails  | {'Configurations': {'fib': {'Image': 'fib:1', 'BackoffLimit': 2}}, 'Schedules': {'fib': [{'Schedule': '@daily'}, {'Schedule': '@daily', 'Image': 'evil:1', 'BackoffLimit': 3}]}} | Schedules.fib[1]: Image: 'evil:1' is neither the job's image 'fib:1' nor matches its ImagesWhitelist []; BackoffLimit: 3 is above the job's 2
            schedule of a job without image   | {'Configurations': {'report': {}}, 'Schedules': {'report': [{'Schedule': '@daily'}]}} | Schedules.report[0]: Image: job 'report' has no image configured
            cron minute out of range          | {'Schedules': {'fib': [{'Schedule': '60 * * * *'}]}}                | Schedules.fib[0].Schedule: invalid cron '60 * * * *': minute: '60' is out of range 0-59
            cron hour out of range            | {'Schedules': {'fib': [{'Schedule': '0 24 * * *'}]}}                | Schedules.fib[0].Schedule: invalid cron '0 24 * * *': hour: '24' is out of range 0-23
            cron day-of-month out of range    | {'Schedules': {'fib': [{'Schedule': '0 0 0 * *'}]}}                 | Schedules.fib[0].Schedule: invalid cron '0 0 0 * *': day-of-month: '0' is out of range 1-31
            cron month out of range           | {'Schedules': {'fib': [{'Schedule': '0 0 * 13 *'}]}}                | Schedules.fib[0].Schedule: invalid cron '0 0 * 13 *': month: '13' is out of range 1-12
            cron day-of-week out of range     | {'Schedules': {'fib': [{'Schedule': '0 0 * * 8'}]}}                 | Schedules.fib[0].Schedule: invalid cron '0 0 * * 8': day-of-week: '8' is out of range 0-7
            cron step of 0                    | {'Schedules': {'fib': [{'Schedule': '*/0 * * * *'}]}}               | Schedules.fib[0].Schedule: invalid cron '*/0 * * * *': minute: '0' in '*/0' is not a step 1-59
            cron with 4 fields                | {'Schedules': {'fib': [{'Schedule': '0 0 1 *'}]}}                   | Schedules.fib[0].Schedule: invalid cron '0 0 1 *': 4 fields given, 5 expected: minute hour day-of-month month day-of-week
            cron with seconds                 | {'Schedules': {'fib': [{'Schedule': '0 0 0 1 * *'}]}}               | Schedules.fib[0].Schedule: invalid cron '0 0 0 1 * *': 6 fields given, 5 expected
            cron in Quartz syntax             | {'Schedules': {'fib': [{'Schedule': '0 0 ? * MON'}]}}               | Schedules.fib[0].Schedule: invalid cron '0 0 ? * MON': day-of-month: '?' is Quartz syntax
            cron is garbage                   | {'Schedules': {'fib': [{'Schedule': 'garbage'}]}}                   | Schedules.fib[0].Schedule: invalid cron 'garbage': 1 field given, 5 expected
            cron never fires (30 February)    | {'Schedules': {'fib': [{'Schedule': '0 0 30 2 *'}]}}                | Schedules.fib[0].Schedule: invalid cron '0 0 30 2 *': it never fires
            cron never fires (31 April)       | {'Schedules': {'fib': [{'Schedule': '0 0 31 4 *'}]}}                | Schedules.fib[0].Schedule: invalid cron '0 0 31 4 *': it never fires
            cron never fires (short months)   | {'Schedules': {'fib': [{'Schedule': '0 0 31 2,4,6,9,11 *'}]}}       | Schedules.fib[0].Schedule: invalid cron '0 0 31 2,4,6,9,11 *': it never fires
            unknown time zone                 | {'Schedules': {'fib': [{'Schedule': '@daily', 'TimeZone': 'Mars/Olympus'}]}} | Schedules.fib[0].TimeZone: unknown time zone 'Mars/Olympus'
            time zone as an offset            | {'Schedules': {'fib': [{'Schedule': '@daily'}, {'Schedule': '@daily', 'TimeZone': '+02:00'}]}} | Schedules.fib[1].TimeZone: unknown time zone '+02:00'
            time zone beside a missing cron   | {'Schedules': {'fib': [{'TimeZone': 'Mars/Olympus'}]}}              | Schedules.fib[0].TimeZone: unknown time zone 'Mars/Olympus'
            KafkaTopic with a space           | {'Configurations': {'fib': {'KafkaTopic': 'my orders'}}}            | Configurations.fib.KafkaTopic: 'my orders' is not a Kafka topic name
            KafkaTopic empty                  | {'Configurations': {'fib': {'KafkaTopic': ''}}}                     | Configurations.fib.KafkaTopic: '' is not a Kafka topic name
            KafkaTopic is '..'                | {'Configurations': {'fib': {'KafkaTopic': '..'}}}                   | Configurations.fib.KafkaTopic: '..' is not a Kafka topic name
            KafkaTopic of 250 characters      | {'Configurations': {'fib': {'KafkaTopic': 'tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt'}}} | Configurations.fib.KafkaTopic: 'tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt' is not a Kafka topic name
            KafkaTopic of two jobs            | {'Configurations': {'fib': {'KafkaTopic': 'orders'}, 'report': {'KafkaTopic': 'orders'}}} | Configurations.report.KafkaTopic: 'orders' is already the KafkaTopic of job 'fib'; a topic triggers one job
            KafkaTopic on Default             | {'Configurations': {'Default': {'KafkaTopic': 'orders'}}}           | Configurations.default.KafkaTopic: Default runs the job names nothing else defines
            top-level null                    | null                                                                | the configuration must be a JSON object
            """)
    void should_refuse_a_broken_configuration_naming_source_and_field(String problem, String json, String expected) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> parse(json.replace('\'', '"')));

        assertTrue(e.getMessage().contains(SOURCE), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            relative             | payload            | 'payload' must be an absolute path
            the root             | /                  | '/' must not be the root folder
            trailing slash       | /data/in/          | '/data/in/' must not end with '/'
            a dot segment        | /data/./in         | '/data/./in' must be normalised
            a dot-dot segment    | /data/../etc       | '/data/../etc' must be normalised
            an empty segment     | /data//in          | '/data//in' must be normalised
            the event's folder   | /etc/jobsink-event | '/etc/jobsink-event' must not be or lie in /etc/jobsink-event
            inside the event's   | /etc/jobsink-event/p | '/etc/jobsink-event/p' must not be or lie in /etc/jobsink-event
            """)
    void should_refuse_a_payload_path_that_is_not_an_absolute_normalised_folder_of_its_own(String problem,
                                                                                           String payloadPath,
                                                                                           String expected) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> parse(
                "{\"Configurations\": {\"fib\": {\"Image\": \"fib:1\", \"PayloadPath\": \"" + payloadPath + "\"}}}"));

        assertTrue(e.getMessage().contains(SOURCE), e.getMessage());
        assertTrue(e.getMessage().contains("- Configurations.fib.PayloadPath: " + expected), e.getMessage());
    }

    @Test
    void should_accept_a_payload_path_and_default_to_radix_folder() {
        JobsConfiguration configuration = parse("""
                {"Configurations": {"fib": {"Image": "fib:1", "PayloadPath": "/var/input"}, "other": {}}}
                """);

        assertEquals("/var/input", configuration.definitions().get("fib").payloadPath());
        assertEquals("/etc/slimjobs/payload", configuration.definitions().get("other").payloadPath());
    }

    @Test
    void should_leave_the_guard_rails_of_a_schedule_of_a_name_not_configured_here_to_its_fire() {
        // the name may be a CronJob's, whose definition is not known when the file is read
        JobsConfiguration configuration = parse("{\"Schedules\": {\"report\": [{\"Schedule\": \"@daily\"}]}}");

        assertEquals(1, configuration.schedules().get("report").size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            top level          | {'Configuration': {}}                                                        | Configuration: unknown property; did you mean Configurations?
            definition         | {'Configurations': {'fibonacci': {'Visiblity': 'Public', 'NumberParallelJob': 5}}} | Configurations.fibonacci.Visiblity: unknown property; did you mean Visibility?
            definition, case   | {'Configurations': {'fibonacci': {'numberparalleljob': 5, 'NUMBERPARALELJOB': 5}}} | Configurations.fibonacci.NUMBERPARALELJOB: unknown property; did you mean NumberParallelJob?
            Resources          | {'Configurations': {'fib': {'Resources': {'Limit': {'cpu': '1'}}}}}           | Configurations.fib.Resources.Limit: unknown property; did you mean Limits?
            Environments entry | {'Configurations': {'fib': {'Environments': [{'Name': 'A', 'Valeu': '1'}]}}}  | Configurations.fib.Environments[0].Valeu: unknown property; did you mean Value?
            a reference        | {'Configurations': {'fib': {'Environments': [{'Name': 'A', 'SecretRef': {'Name': 's', 'Kye': 'k'}}]}}} | Configurations.fib.Environments[0].SecretRef.Kye: unknown property; did you mean Key?
            Schedules entry    | {'Schedules': {'fib': [{'Schedule': '@daily', 'Argz': ['1']}]}}               | Schedules.fib[0].Argz: unknown property; did you mean Args?
            Schedules' own     | {'Schedules': {'fib': [{'Schedule': '@daily', 'TimeZones': 'UTC'}]}}          | Schedules.fib[0].TimeZones: unknown property; did you mean TimeZone?
            nothing near       | {'Configurations': {'fib': {'Colour': 'red'}}}                                | Configurations.fib.Colour: unknown property; known properties are BackoffLimit, CallbackUrl, DependsOn, Environments, Image, ImagesWhitelist, KafkaTopic, NumberParallelJob, PayloadPath, Resources, RestartPolicy, TtlSecondsAfterFinished, Visibility
            """)
    void should_refuse_an_unknown_property_naming_its_path_and_the_nearest_known_name(String where, String json,
                                                                                      String expected) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> parse(json.replace('\'', '"')));

        assertTrue(e.getMessage().contains(SOURCE), e.getMessage());
        assertTrue(e.getMessage().contains("- " + expected), e.getMessage());
    }

    @Test
    void should_accept_every_property_slimfaas_documents_for_definitions_schedules_and_variables() {
        JobsConfiguration configuration = parse("""
                {
                  "Configurations": {
                    "fibonacci": {
                      "Image": "fib:1", "ImagesWhitelist": ["fib:*"],
                      "Resources": {"Requests": {"cpu": "100m"}, "Limits": {"cpu": "200m"}},
                      "DependsOn": ["db"],
                      "Environments": [
                        {"Name": "A", "Value": "1"},
                        {"name": "B", "value": "2"},
                        {"Name": "C", "SecretRef": {"Name": "s", "Key": "k"}},
                        {"Name": "D", "ConfigMapRef": {"Name": "c", "Key": "k"}},
                        {"Name": "E", "FieldRef": {"FieldPath": "metadata.name"}},
                        {"Name": "F", "ResourceFieldRef": {"ContainerName": "main", "Resource": "limits.cpu", "Divisor": "1m"}}
                      ],
                      "BackoffLimit": 1, "Visibility": "Public", "NumberParallelJob": 2,
                      "TtlSecondsAfterFinished": 36000, "RestartPolicy": "Never"
                    }
                  },
                  "Schedules": {
                    "fibonacci": [
                      {"Schedule": "0 0 * * *", "Args": ["42"], "Image": "fib:2", "DependsOn": ["db"],
                       "Resources": {"Requests": {"cpu": "100m"}, "Limits": {"cpu": "100m"}},
                       "Environments": [], "BackoffLimit": 1, "TtlSecondsAfterFinished": 100, "RestartPolicy": "Never"}
                    ]
                  }
                }
                """);

        assertEquals(6, configuration.definitions().get("fibonacci").environments().size());
        assertEquals("fib:2", configuration.schedules().get("fibonacci").get(0).overrides().image());
    }

    @Test
    void should_report_a_json_syntax_error_with_its_line_and_column() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> parse("""
                {"Configurations": {
                  "fib": {"Image": "fib:1"
                          "BackoffLimit": 2}
                }}
                """));

        assertTrue(e.getMessage().contains(SOURCE), e.getMessage());
        assertTrue(e.getMessage().contains("(line 3, column 11)"), e.getMessage());
    }

    @Test
    void should_report_a_wrong_type_with_its_line_and_column() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> parse("""
                {"Configurations": {
                  "fib": {"NumberParallelJob": "many"}
                }}
                """));

        assertTrue(e.getMessage().contains("Configurations.fib.NumberParallelJob: "), e.getMessage());
        assertTrue(e.getMessage().contains("\"many\""), e.getMessage());
        assertTrue(e.getMessage().contains("(line 2, column "), e.getMessage());
    }

    @Test
    void should_refuse_a_duplicate_json_key_naming_it() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> parse("""
                {"Configurations": {
                  "fib": {"Image": "fib:1"},
                  "fib": {"Image": "fib:2"}
                }}
                """));

        assertTrue(e.getMessage().contains(SOURCE), e.getMessage());
        assertTrue(e.getMessage().contains("'fib'"), e.getMessage());
        assertTrue(e.getMessage().contains("(line 3, column "), e.getMessage());
    }

    @Test
    void should_report_every_problem_in_one_message() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> parse("""
                {"Configurations": {
                  "fib": {"NumberParallelJob": 0, "DependsOn": ["-db"]},
                  "ab": {},
                  "Default": {"BackoffLimit": -2}
                 },
                 "Schedules": {"fib": [{}]}}
                """));

        for (String expected : List.of("Configurations.fib.NumberParallelJob", "Configurations.fib.DependsOn[0]",
                "Configurations.ab", "Configurations.default.BackoffLimit", "Schedules.fib[0].Schedule")) {
            assertTrue(e.getMessage().contains(expected), expected + " missing from: " + e.getMessage());
        }
    }

    private static JobsConfiguration parse(String json) {
        Map<String, String> env = new HashMap<>();
        env.put(JobsConfigurationLoader.ENV, json);
        return JobsConfigurationLoader.parse(JobsConfigurationLoader.configuredSource(env, null).orElseThrow());
    }
}
