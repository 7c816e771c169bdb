package io.slimjobs.config;

import static io.slimjobs.CronJobTemplates.annotated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slimjobs.SlimJobsTestSupport;
import org.junit.jupiter.api.Test;

/** CronJobs of the namespace define jobs while SlimJobs runs: created, changed and deleted ones, and ignored ones. */
class CronJobDiscoveryTest extends SlimJobsTestSupport {

    @Override
    protected String jobsConfiguration() {
        return """
                {"Configurations": {
                   "report": {"Image": "report:1", "Visibility": "Public", "NumberParallelJob": 2},
                   "Default": {"Image": "busybox:1.36", "Visibility": "Public",
                               "Resources": {"Requests": {"cpu": "100m"}, "Limits": {"cpu": "1", "memory": "1Gi"}}}},
                 "Schedules": {"report": [{"Schedule": "0 1 * * *"}]}}
                """;
    }

    private void create(CronJob cronJob) {
        kube().batch().v1().cronjobs().inNamespace(namespace).resource(cronJob).create();
    }

    private void edit(String name, UnaryOperator<CronJobBuilder> change) {
        kube().batch().v1().cronjobs().inNamespace(namespace).withName(name)
                .edit(cronJob -> change.apply(new CronJobBuilder(cronJob)).build());
    }

    private void deleteCronJob(String name) {
        kube().batch().v1().cronjobs().inNamespace(namespace).withName(name).delete();
    }

    /** Returns once SlimJobs has read every CronJob event so far: a marker CronJob created now defines its job. */
    private void awaitCronJobsRead(String marker) {
        create(annotated(marker, builder -> builder));
        awaitUntil(marker + " defined", () -> definitionsInForce().definitions().containsKey(marker));
    }

    @Test
    void should_run_a_job_its_cronjob_defines_with_its_image_resources_and_environment() {
        create(annotated("nightly", builder -> builder
                .editMetadata().addToAnnotations(CronJobMapping.VISIBILITY, "Public").endMetadata()
                .editSpec().editJobTemplate().editSpec().withBackoffLimit(3).withTtlSecondsAfterFinished(120)
                    .editTemplate().editSpec().withRestartPolicy("OnFailure").editFirstContainer()
                        .withImage("registry.local/nightly:7")
                        .withResources(new ResourceRequirementsBuilder()
                                .addToRequests("cpu", new Quantity("250m")).addToLimits("memory", new Quantity("256Mi"))
                                .build())
                        .addToEnv(new EnvVarBuilder().withName("MODE").withValue("full").build())
                        .addToEnv(new EnvVarBuilder().withName("TOKEN").withNewValueFrom().withNewSecretKeyRef()
                                .withName("nightly").withKey("token").endSecretKeyRef().endValueFrom().build())
                    .endContainer().endSpec().endTemplate()
                .endSpec().endJobTemplate().endSpec()));
        awaitUntil("nightly defined", () -> definitionsInForce().definitions().containsKey("nightly"));

        Job job = jobOf(trigger("nightly", "{\"Args\": [\"now\"]}"));

        var pod = job.getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);
        assertEquals("registry.local/nightly:7", container.getImage());
        assertEquals(Map.of("cpu", new Quantity("250m")), container.getResources().getRequests());
        assertEquals(Map.of("memory", new Quantity("256Mi")), container.getResources().getLimits());
        assertEquals(List.of("MODE", "TOKEN"), container.getEnv().stream().map(env -> env.getName()).toList());
        assertEquals("nightly", container.getEnv().get(1).getValueFrom().getSecretKeyRef().getName());
        assertEquals(List.of("now"), container.getArgs());
        assertEquals(3, job.getSpec().getBackoffLimit());
        assertEquals(120, job.getSpec().getTtlSecondsAfterFinished());
        assertEquals("OnFailure", pod.getRestartPolicy());
    }

    @Test
    void should_follow_a_changed_cronjob() {
        create(annotated("nightly", builder -> builder.editMetadata()
                .addToAnnotations(CronJobMapping.VISIBILITY, "Public")
                .addToAnnotations(CronJobMapping.NUMBER_PARALLEL_JOB, "1").endMetadata()));
        awaitUntil("nightly defined", () -> definitionsInForce().definitions().containsKey("nightly"));

        edit("nightly", builder -> builder.editMetadata().addToAnnotations(CronJobMapping.NUMBER_PARALLEL_JOB, "4")
                .endMetadata()
                .editSpec().editJobTemplate().editSpec().editTemplate().editSpec().editFirstContainer()
                    .withImage("busybox:1.37").endContainer().endSpec().endTemplate().endSpec().endJobTemplate()
                .endSpec());

        awaitUntil("nightly redefined", () -> definitionsInForce().definitionFor("nightly").numberParallelJob() == 4);
        assertEquals("busybox:1.37", definitionsInForce().definitionFor("nightly").image());
        assertEquals("busybox:1.37", jobOf(trigger("nightly", "")).getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage());
        assertEquals(1, logLines("Job nightly is redefined by its CronJob").size());
    }

    @Test
    void should_fall_back_to_default_once_its_cronjob_is_deleted_the_last_one_too() {
        create(annotated("nightly", builder -> builder.editSpec().editJobTemplate().editSpec().editTemplate()
                .editSpec().editFirstContainer().withImage("registry.local/nightly:7").endContainer().endSpec()
                .endTemplate().endSpec().endJobTemplate().endSpec()));
        awaitUntil("nightly defined", () -> definitionsInForce().definitions().containsKey("nightly"));
        assertEquals(403, post("/job/nightly", "").status(), "Private, as a CronJob without DefaultVisibility is");

        deleteCronJob("nightly");

        awaitUntil("nightly no longer defined", () -> !definitionsInForce().definitions().containsKey("nightly"));
        assertEquals("busybox:1.36", jobOf(trigger("nightly", "")).getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage(), "Default's image: the name runs under Default");
        assertEquals(1, logLines("Job nightly is no longer defined by a CronJob").size());
    }

    @Test
    void should_replace_a_configured_definition_and_its_schedules_and_give_them_back_when_it_goes() {
        create(annotated("report", builder -> builder.editMetadata()
                .addToAnnotations(CronJobMapping.VISIBILITY, "Public")
                .addToAnnotations(CronJobMapping.SCHEDULES, "[{\"Schedule\": \"*/10 * * * *\", \"Args\": [\"x\"]}]")
                .endMetadata()));
        awaitUntil("report from its CronJob", () -> definitionsInForce().definitionFor("report").image().equals("busybox:1.36"));

        assertEquals(1, definitionsInForce().definitionFor("report").numberParallelJob(), "the CronJob's, not the configured 2");
        assertEquals("*/10 * * * *", definitionsInForce().schedules().get("report").get(0).schedule());
        assertEquals(ScheduleSource.CronJob, definitionsInForce().scheduleSource("report"));
        assertEquals(List.of("*/10 * * * *"), get("/jobs/status").json().findValues("Schedules").stream()
                .flatMap(schedules -> schedules.findValuesAsText("Schedule").stream()).toList());

        deleteCronJob("report");

        awaitUntil("report configured again", () -> definitionsInForce().definitionFor("report").image().equals("report:1"));
        assertEquals("0 1 * * *", definitionsInForce().schedules().get("report").get(0).schedule());
        assertEquals(ScheduleSource.Configuration, definitionsInForce().scheduleSource("report"));
    }

    @Test
    void should_ignore_cronjobs_that_are_not_annotated_without_a_word() {
        create(annotated("plain", builder -> builder.editMetadata().withAnnotations(Map.of()).endMetadata()));
        create(annotated("opted-out", builder -> builder.editMetadata()
                .addToAnnotations(CronJobMapping.JOB, "false").endMetadata()));

        awaitCronJobsRead("marker");

        assertFalse(definitionsInForce().definitions().containsKey("plain"));
        assertFalse(definitionsInForce().definitions().containsKey("opted-out"));
        assertEquals(0, logLines("CronJob plain").size() + logLines("CronJob opted-out").size());
    }

    @Test
    void should_warn_once_about_an_annotated_cronjob_that_is_not_suspended_and_use_it_once_it_is() {
        create(annotated("running", builder -> builder.editSpec().withSuspend(false).endSpec()));
        awaitCronJobsRead("marker");
        for (int i = 0; i < 3; i++) {
            String touch = String.valueOf(i);
            edit("running", builder -> builder.editMetadata().addToLabels("touch", touch).endMetadata());
        }
        awaitCronJobsRead("marker-2");

        assertFalse(definitionsInForce().definitions().containsKey("running"));
        List<String> said = logLines("CronJob running");
        assertEquals(1, said.size(), () -> String.join("\n", said));
        assertTrue(said.get(0).contains("WARN")
                && said.get(0).contains("is annotated SlimFaas/Job: \"true\" but is not suspended"), said.get(0));

        edit("running", builder -> builder.editSpec().withSuspend(true).endSpec());

        awaitUntil("running defined once suspended", () -> definitionsInForce().definitions().containsKey("running"));
    }

    @Test
    void should_refuse_an_invalid_cronjob_whole_with_one_error_naming_every_problem() {
        create(annotated("broken", builder -> builder.editMetadata()
                .addToAnnotations(CronJobMapping.VISIBILITY, "Public")
                .addToAnnotations(CronJobMapping.NUMBER_PARALLEL_JOB, "many")
                .addToAnnotations(CronJobMapping.SCHEDULES, "[{\"Args\": [\"1\"]}]").endMetadata()));
        awaitCronJobsRead("marker");
        edit("broken", builder -> builder.editMetadata().addToLabels("touch", "1").endMetadata());
        awaitCronJobsRead("marker-2");

        assertFalse(definitionsInForce().definitions().containsKey("broken"), "nothing of it applies");
        List<String> errors = logLines("CronJob broken");
        assertEquals(1, errors.size(), () -> String.join("\n", errors));
        assertTrue(errors.get(0).contains("ERROR") && errors.get(0).contains("CronJob broken is ignored")
                && errors.get(0).contains("SlimFaas/NumberParallelJob: 'many' is not a whole number")
                && errors.get(0).contains("SlimFaas/Schedules[0].Schedule: is required"), errors.get(0));

        edit("broken", builder -> builder.editMetadata().addToAnnotations(CronJobMapping.NUMBER_PARALLEL_JOB, "2")
                .addToAnnotations(CronJobMapping.SCHEDULES, "[{\"Schedule\": \"0 3 * * *\"}]").endMetadata());

        awaitUntil("broken defined once fixed", () -> definitionsInForce().definitions().containsKey("broken"));
        assertEquals(2, definitionsInForce().definitionFor("broken").numberParallelJob());
    }

    @Test
    void should_never_take_the_default_entry_from_a_cronjob() {
        create(annotated("default", builder -> builder.editSpec().editJobTemplate().editSpec().editTemplate()
                .editSpec().editFirstContainer().withImage("evil:1").endContainer().endSpec().endTemplate().endSpec()
                .endJobTemplate().endSpec()));
        awaitCronJobsRead("marker");

        assertEquals("busybox:1.36", definitionsInForce().definitionFor(JobsConfiguration.DEFAULT).image());
        assertEquals(1, logLines("CronJob default is ignored").size());
    }
}
