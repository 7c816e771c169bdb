package io.slimjobs.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.slimjobs.error.ClusterUnavailableException;
import io.slimjobs.error.ConflictException;
import io.slimjobs.error.InvalidRequestException;
import io.slimjobs.error.NotFoundException;
import io.slimjobs.error.SlimJobsException;

class KubernetesErrorsTest {

    @Test
    void should_translate_404_to_not_found() {
        SlimJobsException e = KubernetesErrors.translate(failure(404, "jobs.batch \"fib-1\" not found"));

        assertInstanceOf(NotFoundException.class, e);
        assertEquals(404, e.status());
        assertEquals("jobs.batch \"fib-1\" not found", e.getMessage());
    }

    @Test
    void should_translate_409_to_conflict() {
        SlimJobsException e = KubernetesErrors.translate(failure(409, "jobs.batch \"fib-1\" already exists"));

        assertInstanceOf(ConflictException.class, e);
        assertEquals(409, e.status());
    }

    @Test
    void should_translate_422_to_an_invalid_request_carrying_kubernetes_message() {
        String reason = "Job.batch \"fib-1\" is invalid: spec.template.spec.containers[0].image: Required value";

        SlimJobsException e = KubernetesErrors.translate(failure(422, reason));

        assertInstanceOf(InvalidRequestException.class, e);
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 503, 403})
    void should_translate_a_server_error_to_cluster_unavailable(int code) {
        SlimJobsException e = KubernetesErrors.translate(failure(code, "etcdserver: request timed out"));

        assertInstanceOf(ClusterUnavailableException.class, e);
        assertEquals(503, e.status());
        assertTrue(e.getMessage().contains("HTTP " + code), e.getMessage());
        assertTrue(e.getMessage().contains("etcdserver: request timed out"), e.getMessage());
    }

    @Test
    void should_translate_a_connection_failure_without_http_code_to_cluster_unavailable() {
        KubernetesClientException noCode = new KubernetesClientException("Failed to connect to 10.0.0.1:6443", 0, null);
        KubernetesClientException noStatus = new KubernetesClientException("Failed to connect to 10.0.0.1:6443",
                new ConnectException("Connection refused"));

        for (KubernetesClientException failure : List.of(noCode, noStatus)) {
            SlimJobsException e = KubernetesErrors.translate(failure);

            assertInstanceOf(ClusterUnavailableException.class, e);
            assertEquals(503, e.status());
            assertTrue(e.getMessage().contains("Failed to connect to 10.0.0.1:6443"), e.getMessage());
            assertFalse(e.getMessage().contains("HTTP"), e.getMessage());
        }
    }

    private static KubernetesClientException failure(int code, String message) {
        Status status = new StatusBuilder().withCode(code).withMessage(message).build();
        return new KubernetesClientException(status);
    }
}
