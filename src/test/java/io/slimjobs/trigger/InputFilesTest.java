package io.slimjobs.trigger;

import static io.slimjobs.SlimJobsTestSupport.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.slimjobs.Endpoints;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.error.ClusterUnavailableException;
import io.slimjobs.error.PayloadTooLargeException;
import io.slimjobs.events.CloudEvents;
import io.slimjobs.kube.InputSecrets;
import io.slimjobs.kube.KubernetesErrors;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.Test;

/**
 * A trigger's `Payload` and CloudEvent are files in the execution's container, from a Secret that exists before the
 * Job, is owned by it, and is never left behind when the Job cannot be made; at most 1 MiB of them.
 */
class InputFilesTest extends SlimJobsTestSupport {

    @Override
    protected String jobsConfiguration() {
        return CONFIGURATION.replace("\"secret-job\": {", """
                "importer": {"Image": "importer:1", "Visibility": "Public", "PayloadPath": "/var/input"},
                "secret-job": {""");
    }

    private Secret secretOf(String executionId) {
        return kube().secrets().inNamespace(namespace).withName(jobOf(executionId).getMetadata().getName()).get();
    }

    private List<Secret> secrets() {
        return kube().secrets().inNamespace(namespace).list().getItems();
    }

    private TriggerAccepted trigger(TriggerRequest request) {
        return template.requestBody(Endpoints.TRIGGER, request, TriggerAccepted.class);
    }

    private static CloudEvent event(int dataBytes) {
        return CloudEventBuilder.v1().withId("1").withSource(URI.create("/test")).withType("t")
                .withData("application/octet-stream", new byte[dataBytes]).build();
    }

    private static boolean ownerless(Secret secret) {
        return secret.getMetadata().getOwnerReferences() == null || secret.getMetadata().getOwnerReferences().isEmpty();
    }

    private static String decoded(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    @Test
    void should_mount_the_payload_as_the_file_payload_in_the_payload_path() {
        String id = trigger("importer", "{\"Payload\": \"line 1\\nline 2\"}");

        assertEquals("line 1\nline 2", decoded(secretOf(id), "payload"));
        PodSpec pod = jobOf(id).getSpec().getTemplate().getSpec();
        assertEquals("slimjobs-payload", pod.getVolumes().get(0).getName());
        assertEquals("payload", pod.getVolumes().get(0).getSecret().getItems().get(0).getPath());
        assertEquals("/var/input", pod.getContainers().get(0).getVolumeMounts().get(0).getMountPath());
        assertTrue(pod.getContainers().get(0).getVolumeMounts().get(0).getReadOnly());
        assertEquals(jobOf(id).getMetadata().getUid(),
                secretOf(id).getMetadata().getOwnerReferences().get(0).getUid());
    }

    @Test
    void should_mount_the_payload_in_radix_folder_by_default() {
        String id = trigger("fibonacci", "{\"Payload\": \"42\"}");

        assertEquals("/etc/slimjobs/payload",
                jobOf(id).getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts().get(0)
                        .getMountPath());
    }

    @Test
    void should_hold_an_event_and_a_payload_of_one_mib_together() {
        int eventJson = CloudEvents.json(event(1000)).length;
        String payload = "p".repeat((int) TriggerSteps.MAX_INPUT_SIZE - eventJson);

        String id = trigger(new TriggerRequest("fibonacci", "{\"Payload\": \"" + payload + "\"}", "application/json",
                false, null, event(1000), null, Door.ROUTE)).id();

        assertEquals(Map.of("event", true, "payload", true), Map.of(
                "event", secretOf(id).getData().containsKey("event"),
                "payload", secretOf(id).getData().containsKey("payload")));
    }

    @Test
    void should_refuse_input_files_over_one_mib_with_413_and_create_nothing() {
        int eventJson = CloudEvents.json(event(1000)).length;
        String payload = "p".repeat((int) TriggerSteps.MAX_INPUT_SIZE - eventJson + 1);

        CamelExecutionException refused = assertThrows(CamelExecutionException.class, () -> trigger(
                new TriggerRequest("fibonacci", "{\"Payload\": \"" + payload + "\"}", "application/json", false, null,
                        event(1000), null, Door.ROUTE)));

        PayloadTooLargeException tooLarge = assertInstanceOf(PayloadTooLargeException.class, refused.getCause());
        assertEquals(413, tooLarge.status());
        assertTrue(tooLarge.getMessage().contains("1048576"), tooLarge.getMessage());
        assertEquals(List.of(), jobs());
        assertEquals(List.of(), secrets());
    }

    @Test
    void should_delete_the_secret_when_kubernetes_refuses_the_job() {
        cluster.expect().post().withPath("/apis/batch/v1/namespaces/" + namespace + "/jobs")
                .andReturn(422, new StatusBuilder().withStatus("Failure").withReason("Invalid").withCode(422)
                        .withMessage("spec.template: Invalid value").build())
                .once();

        var answer = post("/job/fibonacci", "{\"Payload\": \"x\"}");

        assertEquals(400, answer.status(), answer::toString);
        assertTrue(answer.body().contains("Kubernetes refused the write"), answer::toString);
        assertEquals(List.of(), jobs());
        assertEquals(List.of(), secrets());
    }

    @Test
    void should_delete_the_secret_when_the_api_server_fails_the_job_create() {
        cluster.expect().post().withPath("/apis/batch/v1/namespaces/" + namespace + "/jobs")
                .andReturn(500, new StatusBuilder().withStatus("Failure").withCode(500).withMessage("etcd away").build())
                .always();

        CamelExecutionException refused = assertThrows(CamelExecutionException.class, () -> trigger(
                new TriggerRequest("fibonacci", "{\"Payload\": \"x\"}", "application/json", false, "order-1",
                        Door.ROUTE)));

        assertInstanceOf(ClusterUnavailableException.class, KubernetesErrors.translate(
                org.apache.camel.util.ObjectHelper.getException(
                        io.fabric8.kubernetes.client.KubernetesClientException.class, refused)));
        assertEquals(List.of(), jobs());
        assertEquals(List.of(), secrets());
    }

    @Test
    void should_give_the_secret_its_owner_again_on_a_keyed_repeat() {
        TriggerRequest request = new TriggerRequest("fibonacci", "{\"Payload\": \"x\"}", "application/json", false,
                "order-1", Door.ROUTE);
        String id = trigger(request).id();
        // as a crash between creating the Job and owning the Secret leaves it
        kube().secrets().inNamespace(namespace).withName(jobOf(id).getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\": {\"ownerReferences\": null}}");
        assertTrue(ownerless(secretOf(id)));

        TriggerAccepted repeat = trigger(request);

        assertTrue(repeat.repeat());
        assertEquals(id, repeat.id());
        Job job = jobOf(id);
        awaitUntil("owned again", () -> !ownerless(secretOf(id)));
        assertEquals(job.getMetadata().getUid(), secretOf(id).getMetadata().getOwnerReferences().get(0).getUid());
    }

    @Test
    void should_create_the_secret_already_owned_when_it_is_gone_by_the_time_its_job_takes_it() {
        String id = trigger(new TriggerRequest("fibonacci", "{\"Payload\": \"x\"}", "application/json", false,
                "order-2", Door.ROUTE)).id();
        Job job = jobOf(id);
        // as the trigger built it, before the API server gave it a version
        Secret input = new SecretBuilder(secretOf(id)).editMetadata().withResourceVersion(null).withUid(null)
                .withCreationTimestamp(null).withOwnerReferences(List.of()).endMetadata().build();
        // deleted by a racing request with the same key whose own Job create failed
        kube().secrets().inNamespace(namespace).withName(input.getMetadata().getName()).delete();
        awaitUntil("gone", () -> secrets().isEmpty());

        context.getRegistry().lookupByNameAndType("inputSecrets", InputSecrets.class).own(input, job);

        assertEquals(job.getMetadata().getUid(), secretOf(id).getMetadata().getOwnerReferences().get(0).getUid());
        assertEquals("x", decoded(secretOf(id), "payload"));
    }

    @Test
    void should_refuse_a_payload_that_is_not_a_string() {
        var answer = post("/job/fibonacci", "{\"Payload\": [\"a\"]}");

        assertEquals(400, answer.status(), answer::toString);
        assertTrue(answer.body().contains("Payload"), answer::toString);
        assertEquals(List.of(), jobs());
        assertEquals(List.of(), secrets());
    }
}
