package io.slimjobs;

import java.util.function.UnaryOperator;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.slimjobs.config.CronJobMapping;

/** CronJobs that define a job, as a user writes them. */
public final class CronJobTemplates {

    private CronJobTemplates() {
    }

    /** Annotated `SlimFaas/Job: "true"`, suspended, one container running busybox; then changed by {@code edit}. */
    public static CronJob annotated(String name, UnaryOperator<CronJobBuilder> edit) {
        return edit.apply(new CronJobBuilder()
                .withNewMetadata().withName(name).addToAnnotations(CronJobMapping.JOB, "true").endMetadata()
                .withNewSpec().withSchedule("0 0 * * *").withSuspend(true)
                    .withNewJobTemplate().withNewSpec().withNewTemplate().withNewSpec()
                        .addNewContainer().withName("main").withImage("busybox:1.36").endContainer()
                    .endSpec().endTemplate().endSpec().endJobTemplate()
                .endSpec()).build();
    }

    /** The same, Public, with that NumberParallelJob. */
    public static CronJob withCap(String name, int numberParallelJob) {
        return annotated(name, builder -> builder.editMetadata()
                .addToAnnotations(CronJobMapping.VISIBILITY, "Public")
                .addToAnnotations(CronJobMapping.NUMBER_PARALLEL_JOB, String.valueOf(numberParallelJob))
                .endMetadata());
    }
}
