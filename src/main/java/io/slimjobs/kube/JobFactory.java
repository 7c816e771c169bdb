package io.slimjobs.kube;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.slimjobs.config.DefinitionRules;
import io.slimjobs.config.EnvVar;
import io.slimjobs.trigger.ExecutionPlan;

/**
 * Builds the objects of one execution: its suspended Job (suspended is what "queued" means) and, when it has input
 * files, the Secret holding them, which its pod mounts.
 */
public final class JobFactory {

    /** The Secret key, file and volume of an execution's CloudEvent; the folder is JobSink's. */
    static final String EVENT_KEY = "event";
    static final String EVENT_VOLUME = "jobsink-event";
    /** Where JobSink tells a job its event file is. */
    static final String EVENT_PATH_ENV = "K_EVENT_PATH";
    /** The Secret key, file and volume of an execution's payload, as Radix names it. */
    static final String PAYLOAD_KEY = "payload";
    static final String PAYLOAD_VOLUME = "slimjobs-payload";

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
        String name = Names.jobObjectName(plan.jobName(), executionId);
        List<io.fabric8.kubernetes.api.model.EnvVar> env = new ArrayList<>(
                plan.environments().stream().map(JobFactory::envVar).toList());
        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        if (plan.event() != null) {
            inputFile(name, EVENT_VOLUME, EVENT_KEY, DefinitionRules.EVENT_FOLDER, volumes, mounts);
            env.add(new EnvVarBuilder().withName(EVENT_PATH_ENV)
                    .withValue(DefinitionRules.EVENT_FOLDER + "/" + EVENT_KEY).build());
        }
        if (plan.payload() != null) {
            inputFile(name, PAYLOAD_VOLUME, PAYLOAD_KEY, plan.payloadPath(), volumes, mounts);
        }
        return new JobBuilder()
                .withNewMetadata()
                    .withName(name)
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
                            .withVolumes(volumes)
                            .addNewContainer()
                                .withName(Names.kubernetesName(plan.jobName()))
                                .withImage(plan.image())
                                .withArgs(plan.args())
                                .withEnv(env)
                                .withVolumeMounts(mounts)
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

    /**
     * The Secret holding an execution's input files: the Job's object name and labels, so that it is found and
     * listed with it. The Job becomes its owner once created.
     */
    public Secret inputSecret(Job job, ExecutionPlan plan) {
        Map<String, String> data = new LinkedHashMap<>();
        if (plan.event() != null) {
            data.put(EVENT_KEY, Base64.getEncoder().encodeToString(plan.event()));
        }
        if (plan.payload() != null) {
            data.put(PAYLOAD_KEY, Base64.getEncoder().encodeToString(plan.payload().getBytes(StandardCharsets.UTF_8)));
        }
        return new SecretBuilder()
                .withNewMetadata()
                    .withName(job.getMetadata().getName())
                    .withNamespace(namespace)
                    .withLabels(job.getMetadata().getLabels())
                .endMetadata()
                .withType("Opaque")
                .withData(data)
                .build();
    }

    /** One key of the input Secret as one read-only file in its own folder. */
    private static void inputFile(String secretName, String volume, String key, String folder, List<Volume> volumes,
                                  List<VolumeMount> mounts) {
        volumes.add(new VolumeBuilder().withName(volume)
                .withNewSecret().withSecretName(secretName).addNewItem().withKey(key).withPath(key).endItem()
                .endSecret().build());
        mounts.add(new VolumeMountBuilder().withName(volume).withMountPath(folder).withReadOnly(true).build());
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
