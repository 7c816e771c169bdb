package io.slimjobs.kube;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.slimjobs.config.EnvVar;
import io.slimjobs.trigger.ExecutionPlan;

/** Builds the suspended Job of one execution: suspended is what "queued" means. */
public final class JobFactory {

    private final String namespace;
    private final Clock clock;
    private final AtomicReference<Instant> lastEnqueue = new AtomicReference<>(Instant.EPOCH);

    public JobFactory(String namespace, Clock clock) {
        this.namespace = namespace;
        this.clock = clock;
    }

    /** @param idempotencyKey what the trigger was keyed with, recorded as an annotation; null for none */
    public Job build(ExecutionPlan plan, String executionId, String idempotencyKey) {
        Map<String, String> labels = Map.of(
                Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE,
                Labels.JOB, plan.jobName(),
                Labels.ID, executionId);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(Labels.ENQUEUED_AT, nextEnqueueTime().toString());
        if (idempotencyKey != null) {
            annotations.put(Labels.IDEMPOTENCY_KEY, idempotencyKey);
        }
        if (plan.callbackUrl() != null) {
            annotations.put(Labels.CALLBACK_URL, plan.callbackUrl());
        }
        if (!plan.dependsOn().isEmpty()) {
            annotations.put(Labels.DEPENDS_ON, String.join(",", plan.dependsOn()));
        }
        return new JobBuilder()
                .withNewMetadata()
                    .withName(Names.jobObjectName(plan.jobName(), executionId))
                    .withNamespace(namespace)
                    .withLabels(labels)
                    .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                    .withSuspend(true)
                    .withBackoffLimit(plan.backoffLimit())
                    .withTtlSecondsAfterFinished(plan.ttlSecondsAfterFinished())
                    .withNewTemplate()
                        .withNewMetadata()
                            .withLabels(labels)
                        .endMetadata()
                        .withNewSpec()
                            .withRestartPolicy(plan.restartPolicy().name())
                            .addNewContainer()
                                .withName(Names.kubernetesName(plan.jobName()))
                                .withImage(plan.image())
                                .withArgs(plan.args())
                                .withEnv(plan.environments().stream().map(JobFactory::envVar).toList())
                                .withNewResources()
                                    .withRequests(quantities(plan.resources().requests()))
                                    .withLimits(quantities(plan.resources().limits()))
                                .endResources()
                            .endContainer()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    /** Strictly increasing within this replica, so executions queued in the same millisecond keep their order. */
    private Instant nextEnqueueTime() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return lastEnqueue.updateAndGet(last -> now.isAfter(last) ? now : last.plus(1, ChronoUnit.MICROS));
    }

    private static Map<String, Quantity> quantities(Map<String, String> values) {
        Map<String, Quantity> quantities = new LinkedHashMap<>();
        values.forEach((resource, value) -> quantities.put(resource, new Quantity(value)));
        return quantities;
    }

    private static io.fabric8.kubernetes.api.model.EnvVar envVar(EnvVar env) {
        EnvVarBuilder builder = new EnvVarBuilder().withName(env.name());
        if (env.secretRef() != null) {
            builder.withNewValueFrom().withNewSecretKeyRef()
                    .withName(env.secretRef().name()).withKey(env.secretRef().key())
                    .endSecretKeyRef().endValueFrom();
        } else if (env.configMapRef() != null) {
            builder.withNewValueFrom().withNewConfigMapKeyRef()
                    .withName(env.configMapRef().name()).withKey(env.configMapRef().key())
                    .endConfigMapKeyRef().endValueFrom();
        } else if (env.fieldRef() != null) {
            builder.withNewValueFrom().withNewFieldRef()
                    .withFieldPath(env.fieldRef().fieldPath())
                    .endFieldRef().endValueFrom();
        } else if (env.resourceFieldRef() != null) {
            builder.withNewValueFrom().withNewResourceFieldRef()
                    .withContainerName(env.resourceFieldRef().containerName())
                    .withResource(env.resourceFieldRef().resource())
                    .withDivisor(env.resourceFieldRef().divisor() == null ? null
                            : new Quantity(env.resourceFieldRef().divisor()))
                    .endResourceFieldRef().endValueFrom();
        } else {
            builder.withValue(env.value() == null ? "" : env.value());
        }
        return builder.build();
    }
}
