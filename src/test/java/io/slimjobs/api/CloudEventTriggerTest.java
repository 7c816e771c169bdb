package io.slimjobs.api;

import static io.slimjobs.api.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slimjobs.HttpCaller;
import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.Json;
import io.slimjobs.SlimJobsTestSupport;
import org.junit.jupiter.api.Test;

/**
 * `POST /job/{name}` takes a CloudEvent as Knative JobSink does: binary or structured, as the execution's input (a
 * file at /etc/jobsink-event/event, named by K_EVENT_PATH), not as overrides; the event's source and id identify it.
 */
class CloudEventTriggerTest extends SlimJobsTestSupport {

    /** Exactly the headers of JobSink's documented curl. */
    private static final Map<String, String> JOBSINK_CURL = Map.of(
            "content-type", "application/json",
            "ce-specversion", "1.0",
            "ce-source", "my/curl/command",
            "ce-type", "my.demo.event",
            "ce-id", "123");

    private Answer postEvent(Map<String, String> headers, String body) {
        return http.call(HttpCaller.OUTSIDER, "POST", "/job/fibonacci", headers, body);
    }

    private Secret secretOf(Job job) {
        return kube().secrets().inNamespace(namespace).withName(job.getMetadata().getName()).get();
    }

    private static JsonNode eventFile(Secret secret) throws Exception {
        return Json.MAPPER.readTree(Base64.getDecoder().decode(secret.getData().get("event")));
    }

    @Test
    void should_run_a_binary_event_posted_as_jobsink_documents_with_the_event_as_a_file() throws Exception {
        Answer answer = postEvent(JOBSINK_CURL, "{\"details\":\"JobSinkDemo\"}");

        assertEquals(202, answer.status(), answer::toString);
        Job job = jobOf(answer.json().get("Id").asText());
        // the definition runs as configured: the event is not read as overrides
        Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("axaguildev/fibonacci-batch:latest", container.getImage());
        assertEquals(List.of(), container.getArgs());
        assertEquals(Json.MAPPER.readTree("""
                {"specversion":"1.0","id":"123","source":"my/curl/command","type":"my.demo.event",
                 "datacontenttype":"application/json","data":{"details":"JobSinkDemo"}}
                """), eventFile(secretOf(job)));
    }

    @Test
    void should_run_a_structured_event_keeping_its_json_data_as_json() throws Exception {
        String event = """
                {"specversion":"1.0","id":"order-7","source":"/shop","type":"order.created",
                 "datacontenttype":"application/json","subject":"7","data":{"items":[1,2]}}
                """;

        Answer answer = postEvent(Map.of("Content-Type", "application/cloudevents+json; charset=utf-8"), event);

        assertEquals(202, answer.status(), answer::toString);
        assertEquals(Json.MAPPER.readTree(event), eventFile(secretOf(jobOf(answer.json().get("Id").asText()))));
    }

    @Test
    void should_take_binary_event_data_of_any_content_type() throws Exception {
        Answer answer = postEvent(Map.of("Content-Type", "text/csv", "ce-specversion", "1.0", "ce-id", "1",
                "ce-source", "/export", "ce-type", "rows"), "a,b\n1,2\n");

        assertEquals(202, answer.status(), answer::toString);
        JsonNode file = eventFile(secretOf(jobOf(answer.json().get("Id").asText())));
        assertEquals("text/csv", file.get("datacontenttype").asText());
        assertEquals("a,b\n1,2\n", new String(Base64.getDecoder().decode(file.get("data_base64").asText()),
                StandardCharsets.UTF_8));
    }

    @Test
    void should_mount_the_event_read_only_name_it_in_k_event_path_and_give_the_secret_to_the_job() {
        Job job = jobOf(postEvent(JOBSINK_CURL, "{}").json().get("Id").asText());

        PodSpec pod = job.getSpec().getTemplate().getSpec();
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals("jobsink-event")).findFirst()
                .orElseThrow();
        assertEquals(job.getMetadata().getName(), volume.getSecret().getSecretName());
        assertEquals("event", volume.getSecret().getItems().get(0).getKey());
        VolumeMount mount = pod.getContainers().get(0).getVolumeMounts().get(0);
        assertEquals("jobsink-event", mount.getName());
        assertEquals("/etc/jobsink-event", mount.getMountPath());
        assertTrue(mount.getReadOnly());
        assertEquals("/etc/jobsink-event/event", pod.getContainers().get(0).getEnv().stream()
                .filter(env -> env.getName().equals("K_EVENT_PATH")).findFirst().orElseThrow().getValue());

        Secret secret = secretOf(job);
        assertEquals(job.getMetadata().getLabels(), secret.getMetadata().getLabels());
        assertEquals(java.util.Set.of("event"), secret.getData().keySet());
        OwnerReference owner = secret.getMetadata().getOwnerReferences().get(0);
        assertEquals(List.of("batch/v1", "Job", job.getMetadata().getName(), job.getMetadata().getUid()),
                List.of(owner.getApiVersion(), owner.getKind(), owner.getName(), owner.getUid()));
    }

    @Test
    void should_answer_a_repeated_event_with_200_and_the_same_execution() {
        Answer first = postEvent(JOBSINK_CURL, "{\"details\":\"JobSinkDemo\"}");
        Answer repeat = postEvent(JOBSINK_CURL, "{\"details\":\"JobSinkDemo\"}");
        Map<String, String> otherId = new java.util.HashMap<>(JOBSINK_CURL);
        otherId.put("ce-id", "124");
        Answer other = postEvent(otherId, "{\"details\":\"JobSinkDemo\"}");

        assertEquals(202, first.status(), first::toString);
        assertEquals(200, repeat.status(), repeat::toString);
        assertEquals(first.json().get("Id"), repeat.json().get("Id"));
        assertEquals(202, other.status(), other::toString);
        assertEquals(2, jobs().size());
    }

    @Test
    void should_refuse_an_event_without_its_required_attributes_naming_them_and_create_nothing() {
        Answer binary = postEvent(Map.of("Content-Type", "application/json", "ce-specversion", "1.0",
                "ce-type", "t"), "{}");
        Answer structured = postEvent(Map.of("Content-Type", "application/cloudevents+json"),
                "{\"specversion\":\"1.0\",\"id\":\"1\"}");

        assertError(binary, 400, "invalid_request", "ce-id", "ce-source");
        assertError(structured, 400, "invalid_request", "source", "type");
        assertEquals(List.of(), jobs());
        assertEquals(List.of(), kube().secrets().inNamespace(namespace).list().getItems());
    }

    @Test
    void should_create_no_secret_for_a_trigger_without_input() {
        Job job = jobOf(trigger("fibonacci", "{\"Args\": [\"1\"]}"));

        assertNull(secretOf(job));
        assertTrue(job.getSpec().getTemplate().getSpec().getVolumes().isEmpty());
        assertFalse(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .anyMatch(env -> env.getName().equals("K_EVENT_PATH")));
    }
}
