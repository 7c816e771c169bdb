package io.slimjobs.kamelets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.slimjobs.Json;
import io.slimjobs.SlimJobsTestSupport;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The kamelets of `kamelets/` run against SlimJobs (their catalog rules are checked in KameletCatalogRulesTest). */
class KameletsTest extends SlimJobsTestSupport {

    private String kamelet(String name, String baseUrl) {
        return "kamelet:" + name + "?baseUrl=" + baseUrl + "&jobName=fibonacci";
    }

    private String kamelet(String name) {
        return kamelet(name, "http://127.0.0.1:" + port);
    }

    @ParameterizedTest
    @ValueSource(strings = {"slimjobs-trigger-action", "slimjobs-job-sink"})
    void should_trigger_a_job_with_the_message_body_as_overrides(String name) throws Exception {
        String answer = template.requestBodyAndHeader(kamelet(name), "{\"Args\": [\"7\"]}",
                "CamelHttpUri", "http://127.0.0.1:1/elsewhere", String.class);

        String id = Json.MAPPER.readTree(answer).get("Id").asText();
        assertEquals(List.of("7"), jobOf(id).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs(),
                "the body is the overrides, and an inbound CamelHttpUri does not redirect the call");
    }

    @ParameterizedTest
    @ValueSource(strings = {"slimjobs-trigger-action", "slimjobs-job-sink"})
    void should_fail_the_exchange_when_slimjobs_refuses(String name) {
        CamelExecutionException failure = assertThrows(CamelExecutionException.class,
                () -> template.requestBody(kamelet(name), "{\"Image\": \"evil/miner:1\"}", String.class));
        assertTrue(String.valueOf(failure.getCause()).contains("400"), String.valueOf(failure.getCause()));
        assertTrue(jobs().isEmpty());
    }

    @Test
    void should_make_one_execution_of_sink_messages_that_carry_the_same_idempotency_key() throws Exception {
        String first = template.requestBodyAndHeader(kamelet("slimjobs-job-sink"), "{\"Args\": [\"7\"]}",
                "Idempotency-Key", "order-7", String.class);
        String repeat = template.requestBodyAndHeader(kamelet("slimjobs-job-sink"), "{\"Args\": [\"7\"]}",
                "Idempotency-Key", "order-7", String.class);

        assertEquals(Json.MAPPER.readTree(first).get("Id"), Json.MAPPER.readTree(repeat).get("Id"));
        assertEquals(1, jobs().size());
    }

    @Test
    void should_send_from_the_sink_only_the_body_the_idempotency_key_and_its_own_token() throws Exception {
        CompletableFuture<Map<String, String>> received = new CompletableFuture<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            Map<String, String> request = new LinkedHashMap<>();
            request.put("path", exchange.getRequestMethod() + " " + exchange.getRequestURI());
            Headers headers = exchange.getRequestHeaders();
            for (String header : List.of("Idempotency-Key", "Authorization", "X-Callback-Url", "X-Forwarded-For")) {
                request.put(header, headers.getFirst(header));
            }
            request.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = "{\"Id\":\"1\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(202, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
            received.complete(request);
        });
        receiver.start();
        try {
            String sink = kamelet("slimjobs-job-sink", "http://127.0.0.1:" + receiver.getAddress().getPort())
                    + "&token=s3cret";
            template.sendBodyAndHeaders(sink, "{\"Args\": [\"7\"]}", Map.of(
                    // as a Kafka record names it: header names match case-insensitively
                    "idempotency-key", "order-42",
                    "Authorization", "Bearer upstream-credentials",
                    "X-Callback-Url", "http://attacker.example/steal",
                    "X-Forwarded-For", "10.0.0.1"));

            Map<String, String> request = received.get(15, TimeUnit.SECONDS);
            assertEquals("POST /job/fibonacci", request.get("path"));
            assertEquals("{\"Args\": [\"7\"]}", request.get("body"));
            assertEquals("order-42", request.get("Idempotency-Key"));
            assertEquals("Bearer s3cret", request.get("Authorization"), "the sink's own token, never the message's");
            assertNull(request.get("X-Callback-Url"), "an upstream message names no callback");
            assertNull(request.get("X-Forwarded-For"), "an upstream message does not speak for the caller");
        } finally {
            receiver.stop(0);
        }
    }
}
