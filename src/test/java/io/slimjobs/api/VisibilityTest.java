package io.slimjobs.api;

import static io.slimjobs.api.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.slimjobs.HttpCaller;
import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.kube.Labels;
import org.junit.jupiter.api.Test;

/**
 * Private jobs serve only callers whose address is the IP of a running pod of the namespace (or in a trusted
 * range, see {@link TrustedCidrVisibilityTest}); every verb is checked before anything is looked up, and no
 * header a client writes grants trust. Public jobs serve anyone.
 */
class VisibilityTest extends SlimJobsTestSupport {

    /** A loopback address the tests give to a pod, so that a call from it comes "from that pod". */
    private static final String POD_IP = "127.0.0.5";

    private Answer call(String from, String method, String path) {
        return http.call(from, method, path, Map.of(), null);
    }

    /** Creates a running pod with the IP in a namespace, as the cluster's network would give it. */
    private void podWithIp(String podNamespace, String name, String ip) {
        kube().pods().inNamespace(podNamespace).resource(pod(podNamespace, name, ip, "Running", false)).create();
    }

    private static Pod pod(String podNamespace, String name, String ip, String phase, boolean hostNetwork) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(podNamespace).endMetadata()
                .withNewSpec().withHostNetwork(hostNetwork)
                    .addNewContainer().withName("caller").withImage("curlimages/curl:8").endContainer()
                .endSpec()
                .withNewStatus().withPhase(phase).withPodIP(ip).endStatus()
                .build();
    }

    /** Waits until SlimJobs' pod cache knows the IP: a read of the Private job from it is answered. */
    private void awaitTrusted(String ip) {
        awaitUntil(ip + " is trusted", () -> call(ip, "GET", "/job/secret-job").status() == 200);
    }

    @Test
    void should_forbid_every_verb_on_a_private_job_to_an_untrusted_caller_before_any_lookup() {
        assertError(post("/job/secret-job", "{\"Args\": [\"1\"]}"), 403, "forbidden", "secret-job", "Private");
        assertError(get("/job/secret-job"), 403, "forbidden", "secret-job");
        // an id that does not exist is still 403, not 404: an outsider learns nothing about executions
        assertError(delete("/job/secret-job/no-such-id"), 403, "forbidden", "secret-job");
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_not_trust_forwarding_headers_written_by_an_untrusted_caller() {
        podWithIp(namespace, "caller", POD_IP);
        awaitTrusted(POD_IP);

        for (Map<String, String> spoof : List.of(
                Map.of("X-Forwarded-For", POD_IP),
                Map.of("X-Forwarded-For", "203.0.113.9, " + POD_IP),
                Map.of("X-Real-IP", POD_IP),
                Map.of("Forwarded", "for=" + POD_IP))) {
            Answer answer = http.call(HttpCaller.OUTSIDER, "POST", "/job/secret-job",
                    Map.of("Content-Type", "application/json", spoof.keySet().iterator().next(),
                            spoof.values().iterator().next()), "{}");

            assertError(answer, 403, "forbidden", "secret-job");
        }
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_let_a_pod_of_the_namespace_trigger_list_and_delete_a_private_job() {
        podWithIp(namespace, "caller", POD_IP);
        awaitTrusted(POD_IP);

        Answer accepted = http.call(POD_IP, "POST", "/job/secret-job", Map.of("Content-Type", "application/json"),
                "{\"Args\": [\"7\"]}");

        assertEquals(202, accepted.status(), accepted::toString);
        String id = accepted.json().get("Id").asText();
        assertEquals("secret-job", jobOf(id).getMetadata().getLabels().get(Labels.JOB));
        awaitUntil("listed", () -> call(POD_IP, "GET", "/job/secret-job").json().findValuesAsText("Id").contains(id));
        Answer listed = call(POD_IP, "GET", "/job/secret-job");
        assertEquals(200, listed.status());
        // the same execution stays hidden from outsiders
        assertError(get("/job/secret-job"), 403, "forbidden");
        assertError(delete("/job/secret-job/" + id), 403, "forbidden");
        assertEquals(1, jobs().size());

        assertEquals(200, call(POD_IP, "DELETE", "/job/secret-job/" + id).status());
        awaitUntil("deleted", () -> jobs().isEmpty());
    }

    @Test
    void should_not_trust_a_pod_ip_of_another_namespace() {
        podWithIp("elsewhere", "stranger", "127.0.0.6");
        // created after the stranger: once this one is trusted, the cache has had every chance to see both
        podWithIp(namespace, "caller", "127.0.0.7");
        awaitTrusted("127.0.0.7");

        assertError(http.call("127.0.0.6", "POST", "/job/secret-job", Map.of(), null), 403, "forbidden");
        assertError(call("127.0.0.6", "GET", "/job/secret-job"), 403, "forbidden");
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_trust_a_pending_pod_that_has_its_ip() {
        kube().pods().inNamespace(namespace).resource(pod(namespace, "starting", POD_IP, "Pending", false)).create();

        awaitTrusted(POD_IP);
        assertEquals(202, http.call(POD_IP, "POST", "/job/secret-job", Map.of(), null).status());
    }

    @Test
    void should_not_trust_the_ip_a_finished_pod_keeps_in_its_status() {
        kube().pods().inNamespace(namespace).resource(pod(namespace, "done", POD_IP, "Succeeded", false)).create();
        kube().pods().inNamespace(namespace).resource(pod(namespace, "failed", "127.0.0.6", "Failed", false)).create();
        // created last: once this one is trusted, the cache has seen the finished ones too
        podWithIp(namespace, "caller", "127.0.0.7");
        awaitTrusted("127.0.0.7");

        for (String finished : List.of(POD_IP, "127.0.0.6")) {
            assertError(http.call(finished, "POST", "/job/secret-job", Map.of(), null), 403, "forbidden");
            assertError(call(finished, "GET", "/job/secret-job"), 403, "forbidden");
        }
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_stop_trusting_a_pod_once_it_has_finished() {
        podWithIp(namespace, "caller", POD_IP);
        awaitTrusted(POD_IP);

        kube().pods().inNamespace(namespace).withName("caller").editStatus(latest -> new PodBuilder(latest)
                .editStatus().withPhase("Succeeded").endStatus().build());

        awaitUntil("the finished pod's IP distrusted", () -> call(POD_IP, "GET", "/job/secret-job").status() == 403);
        assertError(http.call(POD_IP, "POST", "/job/secret-job", Map.of(), null), 403, "forbidden");
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_not_trust_the_node_ip_of_a_host_network_pod() {
        kube().pods().inNamespace(namespace).resource(pod(namespace, "node-agent", POD_IP, "Running", true)).create();
        podWithIp(namespace, "caller", "127.0.0.7");
        awaitTrusted("127.0.0.7");

        assertError(http.call(POD_IP, "POST", "/job/secret-job", Map.of(), null), 403, "forbidden");
        assertError(call(POD_IP, "GET", "/job/secret-job"), 403, "forbidden");
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_let_anyone_trigger_list_and_delete_a_public_job() {
        for (String caller : List.of(HttpCaller.OUTSIDER, "127.0.0.9")) {
            Answer accepted = http.call(caller, "POST", "/job/fibonacci", Map.of(), null);
            assertEquals(202, accepted.status(), accepted::toString);
            String id = accepted.json().get("Id").asText();

            awaitUntil("listed", () -> call(caller, "GET", "/job/fibonacci").json().findValuesAsText("Id")
                    .contains(id));
            assertEquals(200, call(caller, "DELETE", "/job/fibonacci/" + id).status());
        }
        awaitUntil("all deleted", () -> jobs().isEmpty());
    }

    @Test
    void should_show_private_definitions_in_status_to_trusted_callers_only() {
        podWithIp(namespace, "caller", POD_IP);
        awaitTrusted(POD_IP);

        Answer outsider = get("/jobs/status");
        Answer insider = call(POD_IP, "GET", "/jobs/status");

        assertEquals(200, outsider.status());
        assertEquals(200, insider.status());
        List<String> seenOutside = ApiAssertions.elementsOf(outsider.json()).stream()
                .map(definition -> definition.get("Name").asText()).toList();
        List<String> seenInside = ApiAssertions.elementsOf(insider.json()).stream()
                .map(definition -> definition.get("Name").asText()).toList();
        assertTrue(seenOutside.contains("fibonacci"), seenOutside::toString);
        assertFalse(seenOutside.contains("secret-job"), seenOutside::toString);
        assertTrue(seenInside.containsAll(List.of("fibonacci", "secret-job")), seenInside::toString);
    }
}
