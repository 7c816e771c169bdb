package io.slimjobs.api;

import static io.slimjobs.api.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.kube.Labels;
import org.junit.jupiter.api.Test;

/** With pod-IP trust turned off, only the operator's trusted ranges may use Private jobs. */
class PodIpTrustDisabledTest extends SlimJobsTestSupport {

    private static final String POD_IP = "127.0.0.5";
    private static final String IN_TRUSTED_RANGE = "127.0.0.3";

    @Override
    protected Map<String, String> properties() {
        return Map.of("slimjobs.trust-pod-ips", "false", "slimjobs.trusted-cidrs", IN_TRUSTED_RANGE + "/32");
    }

    @Test
    void should_trust_only_trusted_cidrs_when_pod_ip_trust_is_off() {
        kube().pods().inNamespace(namespace).resource(new PodBuilder()
                .withNewMetadata().withName("caller").endMetadata()
                .withNewSpec().addNewContainer().withName("caller").withImage("curlimages/curl:8").endContainer()
                .endSpec()
                .withNewStatus().withPhase("Running").withPodIP(POD_IP).endStatus()
                .build()).create();
        // pod events arrive in order: once this execution's pod shows Running, the caller's pod is cached too
        String id = trigger("fibonacci", "");
        awaitUntil("the execution running", () -> statusOf("fibonacci", id).equals("Running"));

        assertError(http.call(POD_IP, "POST", "/job/secret-job", Map.of(), null), 403, "forbidden");
        assertError(http.call(POD_IP, "GET", "/job/secret-job", Map.of(), null), 403, "forbidden");
        Answer trusted = http.call(IN_TRUSTED_RANGE, "POST", "/job/secret-job", Map.of(), null);
        assertEquals(202, trusted.status(), trusted::toString);
        assertEquals(List.of("fibonacci", "secret-job"), jobs().stream()
                .map(job -> job.getMetadata().getLabels().get(Labels.JOB)).sorted().toList());
    }
}
