package io.slimjobs.config;

import static io.slimjobs.CronJobTemplates.annotated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.event.Level;

/** How a CronJob becomes a job definition: SlimFaas' mapping, held to the configuration's rules. */
class CronJobMappingTest {

    private static final JobsConfiguration CONFIGURED = JobsConfigurationLoader.parse(new JobsConfigurationLoader.Source(
            "test", """
            {"Configurations": {
               "Default": {"Image": "busybox:1.36", "Resources": {"Requests": {"cpu": "50m"}, "Limits": {"cpu": "1"}}},
               "report": {"Image": "report:1", "Visibility": "Public"}},
             "Schedules": {"report": [{"Schedule": "0 1 * * *"}]}}
            """));

    /** The CronJob of SlimFaas' documentation, suspended, its container given a whole environment. */
    private static CronJob documented() {
        return new CronJobBuilder()
                .withNewMetadata().withName("Fibonacci5")
                    .addToAnnotations(CronJobMapping.JOB, "True")
                    .addToAnnotations(CronJobMapping.IMAGES_WHITELIST, " axaguildev/fibonacci-batch:* , other:1 ,, ")
                    .addToAnnotations(CronJobMapping.VISIBILITY, "Public")
                    .addToAnnotations(CronJobMapping.NUMBER_PARALLEL_JOB, "3")
                    .addToAnnotations(CronJobMapping.DEPENDS_ON, "fibonacci1, fibonacci2")
                    .addToAnnotations(CronJobMapping.SCHEDULES, """
                            [{"Schedule": "0 0 * * *", "TimeZone": "Europe/Paris", "Args": ["42"]}]""")
                .endMetadata()
                .withNewSpec().withSchedule("*/5 * * * *").withSuspend(true)
                    .withNewJobTemplate().withNewSpec().withBackoffLimit(4).withTtlSecondsAfterFinished(600)
                        .withNewTemplate().withNewSpec().withRestartPolicy("OnFailure")
                            .addNewContainer().withName("fib").withImage("axaguildev/fibonacci-batch:latest")
                                .withNewResources()
                                    .addToRequests("cpu", new Quantity("400m")).addToRequests("memory", new Quantity("400Mi"))
                                    .addToLimits("cpu", new Quantity("0.5")).addToLimits("memory", new Quantity("1Gi"))
                                .endResources()
                                .addToEnv(new EnvVarBuilder().withName("MODE").withValue("fast").build())
                                .addToEnv(new EnvVarBuilder().withName("TOKEN").withNewValueFrom()
                                        .withNewSecretKeyRef().withName("fib-secret").withKey("token").endSecretKeyRef()
                                        .endValueFrom().build())
                                .addToEnv(new EnvVarBuilder().withName("LEVEL").withNewValueFrom()
                                        .withNewConfigMapKeyRef().withName("fib-config").withKey("level")
                                        .endConfigMapKeyRef().endValueFrom().build())
                                .addToEnv(new EnvVarBuilder().withName("POD").withNewValueFrom()
                                        .withNewFieldRef().withFieldPath("metadata.name").endFieldRef()
                                        .endValueFrom().build())
                                .addToEnv(new EnvVarBuilder().withName("CPU").withNewValueFrom()
                                        .withNewResourceFieldRef().withContainerName("fib").withResource("limits.cpu")
                                        .withDivisor(new Quantity("1m")).endResourceFieldRef().endValueFrom().build())
                            .endContainer()
                        .endSpec().endTemplate()
                    .endSpec().endJobTemplate()
                .endSpec().build();
    }

    private static JobDefinition merged(CronJob cronJob) {
        CronJobMapping.Result result = CronJobMapping.map(cronJob);
        return CONFIGURED.withCronJobs(List.of(result.definition())).definitions().get(result.definition().name());
    }

    @Test
    void should_map_every_annotation_and_field_of_the_first_container() {
        CronJobMapping.Result result = CronJobMapping.map(documented());

        assertNull(result.message(), result::message);
        assertEquals("fibonacci5", result.definition().name(), "the CronJob's name, lower-cased");
        JobDefinition fib = merged(documented());
        assertEquals("axaguildev/fibonacci-batch:latest", fib.image());
        assertEquals(List.of("axaguildev/fibonacci-batch:*", "other:1"), fib.imagesWhitelist());
        assertEquals(Visibility.Public, fib.visibility());
        assertEquals(3, fib.numberParallelJob());
        assertEquals(List.of("fibonacci1", "fibonacci2"), fib.dependsOn());
        assertEquals(new Resources(Map.of("cpu", "400m", "memory", "400Mi"), Map.of("cpu", "0.5", "memory", "1Gi")),
                fib.resources());
        assertEquals(List.of(
                new EnvVar("MODE", "fast", null, null, null, null),
                new EnvVar("TOKEN", null, new EnvVar.KeyRef("fib-secret", "token"), null, null, null),
                new EnvVar("LEVEL", null, null, new EnvVar.KeyRef("fib-config", "level"), null, null),
                new EnvVar("POD", null, null, null, new EnvVar.FieldRef("metadata.name"), null),
                new EnvVar("CPU", null, null, null, null, new EnvVar.ResourceFieldRef("fib", "limits.cpu", "1m"))),
                fib.environments());
        assertEquals(4, fib.backoffLimit());
        assertEquals(600, fib.ttlSecondsAfterFinished());
        assertEquals(RestartPolicy.OnFailure, fib.restartPolicy());
        ScheduleDefinition schedule = result.definition().schedules().get(0);
        assertEquals("0 0 * * *", schedule.schedule(), "SlimFaas/Schedules, not the CronJob's own spec.schedule");
        assertEquals("Europe/Paris", schedule.timeZone());
        assertEquals(List.of("42"), schedule.overrides().args());
    }

    @Test
    void should_fill_what_a_cronjob_leaves_out_as_the_configuration_does() {
        JobDefinition plain = merged(annotated("plain", builder -> builder));

        assertEquals(Visibility.Private, plain.visibility());
        assertEquals(1, plain.numberParallelJob());
        assertEquals(List.of(), plain.imagesWhitelist());
        assertEquals(List.of(), plain.dependsOn());
        assertEquals(List.of(), plain.environments());
        assertEquals(1, plain.backoffLimit());
        assertEquals(60, plain.ttlSecondsAfterFinished());
        assertEquals(RestartPolicy.Never, plain.restartPolicy());
        assertEquals(CONFIGURED.definitionFor(JobsConfiguration.DEFAULT).resources(), plain.resources(),
                "no resources: the Default entry's");
        assertNull(CronJobMapping.map(annotated("plain", builder -> builder)).definition().schedules(),
                "no SlimFaas/Schedules annotation: no schedules of its own");
    }

    @Test
    void should_replace_a_configured_definition_and_its_schedules_when_the_cronjob_has_some() {
        JobsConfiguration withCronJob = CONFIGURED.withCronJobs(List.of(CronJobMapping.map(annotated("report",
                builder -> builder.editMetadata().addToAnnotations(CronJobMapping.SCHEDULES,
                        "[{\"Schedule\": \"30 2 * * 1\"}]").endMetadata())).definition()));

        assertEquals("busybox:1.36", withCronJob.definitionFor("report").image());
        assertEquals(Visibility.Private, withCronJob.definitionFor("report").visibility(),
                "the whole definition is replaced, not merged field by field");
        assertEquals("30 2 * * 1", withCronJob.schedules().get("report").get(0).schedule());
        assertEquals(1, withCronJob.schedules().get("report").size());
        assertEquals(ScheduleSource.CronJob, withCronJob.scheduleSource("report"));
    }

    @Test
    void should_keep_the_configured_schedules_of_its_name_when_the_cronjob_has_no_schedules_annotation() {
        JobsConfiguration withCronJob = CONFIGURED.withCronJobs(
                List.of(CronJobMapping.map(annotated("report", builder -> builder)).definition()));

        assertEquals("busybox:1.36", withCronJob.definitionFor("report").image());
        assertEquals("0 1 * * *", withCronJob.schedules().get("report").get(0).schedule());
        assertEquals(ScheduleSource.Configuration, withCronJob.scheduleSource("report"));
    }

    @Test
    void should_give_no_schedules_for_an_empty_schedules_annotation_and_ignore_a_blank_one() {
        JobsConfiguration empty = CONFIGURED.withCronJobs(List.of(CronJobMapping.map(annotated("report",
                builder -> builder.editMetadata().addToAnnotations(CronJobMapping.SCHEDULES, "[]").endMetadata()))
                .definition()));
        JobsConfiguration blank = CONFIGURED.withCronJobs(List.of(CronJobMapping.map(annotated("report",
                builder -> builder.editMetadata().addToAnnotations(CronJobMapping.SCHEDULES, " ").endMetadata()))
                .definition()));

        assertEquals(List.of(), empty.schedules().get("report"));
        assertEquals(ScheduleSource.CronJob, empty.scheduleSource("report"));
        assertEquals(1, blank.schedules().get("report").size());
        assertEquals(ScheduleSource.Configuration, blank.scheduleSource("report"));
    }

    /** An empty value stands for no annotation at all: an ordinary CronJob of the namespace. */
    @ParameterizedTest(name = "SlimFaas/Job: \"{0}\"")
    @CsvSource({"''", "false", "yes"})
    void should_ignore_a_cronjob_that_is_not_annotated_true_silently(String annotation) {
        CronJobMapping.Result result = CronJobMapping.map(annotated("plain", builder -> builder
                .editMetadata().removeFromAnnotations(CronJobMapping.JOB)
                    .addToAnnotations(annotation.isEmpty() ? Map.of() : Map.of(CronJobMapping.JOB, annotation))
                .endMetadata()));

        assertNull(result.definition());
        assertNull(result.message());
    }

    @Test
    void should_ignore_an_annotated_cronjob_that_is_not_suspended_with_a_warning() {
        CronJobMapping.Result result = CronJobMapping.map(annotated("running", builder -> builder
                .editSpec().withSuspend(false).endSpec()));

        assertNull(result.definition());
        assertEquals(Level.WARN, result.level());
        assertTrue(result.message().contains("CronJob running") && result.message().contains("spec.suspend"),
                result::message);
    }

    @Test
    void should_ignore_a_cronjob_named_default_with_a_warning() {
        CronJobMapping.Result result = CronJobMapping.map(annotated("default", builder -> builder));

        assertNull(result.definition());
        assertEquals(Level.WARN, result.level());
        assertTrue(result.message().contains("Default entry comes from the jobs configuration"), result::message);
    }

    @Test
    void should_refuse_an_invalid_cronjob_whole_naming_every_problem_by_the_configuration_rules() {
        CronJobMapping.Result result = CronJobMapping.map(annotated("broken", builder -> builder
                .editMetadata()
                    .addToAnnotations(CronJobMapping.NUMBER_PARALLEL_JOB, "two")
                    .addToAnnotations(CronJobMapping.VISIBILITY, "Internal")
                    .addToAnnotations(CronJobMapping.DEPENDS_ON, "db,Not_A_Name")
                    .addToAnnotations(CronJobMapping.SCHEDULES, "[{\"Args\": [\"1\"]}, {\"Schedule\": \"0 0 * * *\", \"Argz\": []}]")
                .endMetadata()
                .editSpec().editJobTemplate().editSpec().withBackoffLimit(-1).editTemplate().editSpec()
                    .withRestartPolicy("Always")
                    .editFirstContainer().withNewResources().addToRequests("cpu", new Quantity("lots"))
                        .addToLimits("memory", new Quantity("1Gi")).addToRequests("memory", new Quantity("2Gi"))
                    .endResources().endContainer()
                .endSpec().endTemplate().endSpec().endJobTemplate().endSpec()));

        assertNull(result.definition(), "nothing of an invalid CronJob applies");
        assertEquals(Level.ERROR, result.level());
        for (String problem : List.of("SlimFaas/NumberParallelJob: 'two' is not a whole number",
                "SlimFaas/DefaultVisibility: 'Internal' is neither Public nor Private",
                "DependsOn[1]: 'Not_A_Name'", "SlimFaas/Schedules", "did you mean", "restartPolicy: 'Always'",
                "Resources.Requests.cpu: \"lots\" is not a Kubernetes quantity", "BackoffLimit: -1 is below 0")) {
            assertTrue(result.message().contains(problem), () -> "missing '" + problem + "' in " + result.message());
        }
        assertEquals(1, result.message().lines().count(), "one line");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            a schedule entry without Schedule | `[{"Args": ["1"]}]`           | SlimFaas/Schedules[0].Schedule: is required
            a schedule annotation not JSON    | `every day`                   | annotation SlimFaas/Schedules:
            a schedule annotation not a list  | `{"Schedule": "0 0 * * *"}`   | annotation SlimFaas/Schedules:
            a schedule annotation null        | `null`                        | must be a JSON array
            NumberParallelJob below 1         | ``                            | NumberParallelJob: 0 is below 1
            """)
    void should_refuse_what_the_configuration_would_refuse(String why, String schedules, String expected) {
        CronJobMapping.Result result = CronJobMapping.map(annotated("broken", builder -> builder.editMetadata()
                .addToAnnotations(schedules.isEmpty() ? Map.of(CronJobMapping.NUMBER_PARALLEL_JOB, "0")
                        : Map.of(CronJobMapping.SCHEDULES, schedules)).endMetadata()));

        assertNull(result.definition());
        assertTrue(result.message().contains(expected), result::message);
    }

    @Test
    void should_refuse_a_name_that_cannot_be_a_job_name() {
        CronJobMapping.Result result = CronJobMapping.map(annotated("nightly.report", builder -> builder));

        assertNull(result.definition());
        assertTrue(result.message().contains("metadata.name"), result::message);
    }

    @Test
    void should_define_the_job_without_envfrom_and_say_so() {
        CronJobMapping.Result result = CronJobMapping.map(annotated("with-env-from", builder -> builder
                .editSpec().editJobTemplate().editSpec().editTemplate().editSpec().editFirstContainer()
                    .addNewEnvFrom().withNewSecretRef().withName("all-secrets").endSecretRef().endEnvFrom()
                .endContainer().endSpec().endTemplate().endSpec().endJobTemplate().endSpec()));

        assertEquals("with-env-from", result.definition().name());
        assertEquals(Level.WARN, result.level());
        assertTrue(result.message().contains("envFrom"), result::message);
    }

    @Test
    void should_refuse_an_env_source_a_definition_cannot_hold() {
        CronJobMapping.Result result = CronJobMapping.map(annotated("file-env", builder -> builder
                .editSpec().editJobTemplate().editSpec().editTemplate().editSpec().editFirstContainer()
                    .addToEnv(new EnvVarBuilder().withName("KEY").withNewValueFrom().withNewFileKeyRef()
                            .withPath("key.txt").withVolumeName("keys").withKey("key").endFileKeyRef().endValueFrom()
                            .build())
                .endContainer().endSpec().endTemplate().endSpec().endJobTemplate().endSpec()));

        assertNull(result.definition());
        assertTrue(result.message().contains("env[0]: 'KEY'"), result::message);
    }
}
