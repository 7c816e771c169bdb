package io.slimjobs.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Map;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.kube.Labels;
import org.junit.jupiter.api.Test;

/**
 * What a crash between creating an input Secret and handing it to its Job leaves behind, the leader's sweep clears:
 * an ownerless input Secret older than the interval is adopted by its Job, or deleted when there is none.
 */
class InputSweepTest extends SlimJobsTestSupport {

    @Override
    protected Map<String, String> properties() {
        return Map.of("slimjobs.inputs.sweep-interval", "300");
    }

    private Secret secret(String name, String id, Map<String, String> extraLabels) {
        Map<String, String> labels = new java.util.HashMap<>(Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE,
                Labels.JOB, "fibonacci"));
        if (id != null) {
            labels.put(Labels.ID, id);
        }
        labels.putAll(extraLabels);
        return kube().secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name)
                .withLabels(labels).endMetadata().addToData("payload", "eA==").build()).create();
    }

    private Secret read(String name) {
        return kube().secrets().inNamespace(namespace).withName(name).get();
    }

    @Test
    void should_let_the_job_adopt_an_ownerless_input_secret_of_its_own() {
        String id = trigger("fibonacci", "");
        Job job = jobOf(id);
        awaitUntil("cached", () -> statusOf("fibonacci", id).equals("Queued") || statusOf("fibonacci", id).equals("Running"));

        secret(job.getMetadata().getName(), id, Map.of());

        awaitUntil("adopted", () -> read(job.getMetadata().getName()).getMetadata().getOwnerReferences() != null
                && !read(job.getMetadata().getName()).getMetadata().getOwnerReferences().isEmpty());
        var owner = read(job.getMetadata().getName()).getMetadata().getOwnerReferences().get(0);
        assertEquals(job.getMetadata().getUid(), owner.getUid());
        assertEquals("Job", owner.getKind());
    }

    @Test
    void should_delete_an_ownerless_input_secret_whose_job_does_not_exist_and_leave_other_secrets_alone() {
        secret("fibonacci-0123456789ab", "0123456789ab", Map.of());
        // not an input Secret: no execution id
        secret("fibonacci-settings", null, Map.of());
        String kept = "someone-elses";
        kube().secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(kept)
                .endMetadata().build()).create();

        awaitUntil("deleted", () -> read("fibonacci-0123456789ab") == null);
        assertNotNull(read("fibonacci-settings"));
        assertNotNull(read(kept));
    }
}
