package io.slimjobs.kube;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.slimjobs.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every write of the Secrets holding executions' input files. A Secret is created before its Job, so that it exists
 * before the Job can be released, then owned by the Job, so that the garbage collector removes it with the Job. What
 * a crash between the two leaves behind, the sweep adopts or deletes.
 */
public final class InputSecrets {

    private static final Logger LOG = LoggerFactory.getLogger(InputSecrets.class);

    private final KubernetesClient client;
    private final String namespace;
    private final JobIndex jobs;
    private final Clock clock;

    public InputSecrets(KubernetesClient client, String namespace, JobIndex jobs, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.jobs = jobs;
        this.clock = clock;
    }

    /**
     * Creates the Secret. With an idempotency key, one that exists already was made by an earlier request with the
     * same key, which is fine: the Job that owns it is made or met next.
     */
    public void create(Secret secret, boolean keyed) {
        try {
            client.secrets().inNamespace(namespace).resource(secret).create();
        } catch (KubernetesClientException e) {
            if (!keyed || e.getCode() != 409) {
                throw e;
            }
            LOG.debug("Input Secret {} exists already for the same idempotency key", secret.getMetadata().getName());
        }
    }

    /** Removes the Secret of a Job that could not be created, so that nothing is left behind. */
    public void discard(Secret secret) {
        String name = secret.getMetadata().getName();
        try {
            client.secrets().inNamespace(namespace).withName(name).delete();
        } catch (KubernetesClientException e) {
            // the Job create's own failure is what the caller is told; the sweep deletes what stays
            LOG.warn("Input Secret {} of a Job that was not created could not be deleted: {}", name, e.getMessage());
        }
    }

    /**
     * Makes the Job the Secret's owner, with one merge patch. A Secret that is gone by now (a request with the same
     * key whose Job create failed deleted it) is created again, owned from the start.
     */
    public void own(Secret secret, Job job) {
        OwnerReference owner = owner(job);
        try {
            client.secrets().inNamespace(namespace)
                    .resource(Named.object(Secret.class, secret.getMetadata().getName()))
                    .patch(PatchContext.of(PatchType.JSON_MERGE),
                            Json.MAPPER.writeValueAsString(Map.of("metadata", Map.of("ownerReferences", List.of(owner)))));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            client.secrets().inNamespace(namespace).resource(new SecretBuilder(secret)
                    .editMetadata().withOwnerReferences(owner).endMetadata().build()).create();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Job a repeated request met, for its Secret's owner; null when it is gone again. */
    public Job existingJob(String name) {
        return client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    }

    /**
     * Adopts or deletes every input Secret without an owner that is older than {@code minimumAgeMillis}: only a crash
     * between creating a Secret and owning it leaves one. Adopted when its Job exists, deleted otherwise.
     */
    public void sweep(long minimumAgeMillis) {
        Instant bornBefore = clock.instant().minus(Duration.ofMillis(minimumAgeMillis));
        List<Secret> ownerless = client.secrets().inNamespace(namespace)
                .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).withLabel(Labels.ID).list().getItems().stream()
                .filter(secret -> secret.getMetadata().getOwnerReferences() == null
                        || secret.getMetadata().getOwnerReferences().isEmpty())
                .filter(secret -> Instant.parse(secret.getMetadata().getCreationTimestamp()).isBefore(bornBefore))
                .toList();
        for (Secret secret : ownerless) {
            String name = secret.getMetadata().getName();
            Job job = jobs.job(name).orElse(null);
            if (job != null) {
                LOG.info("Input Secret {} had no owner: adopted by its Job", name);
                own(secret, job);
            } else {
                LOG.info("Input Secret {} had no owner and its Job does not exist: deleted", name);
                client.secrets().inNamespace(namespace).withName(name).delete();
            }
        }
    }

    private static OwnerReference owner(Job job) {
        return new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                .withName(job.getMetadata().getName()).withUid(job.getMetadata().getUid()).build();
    }
}
