package io.slimjobs.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.slimjobs.SlimJobsTestSupport;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

/**
 * The HTTP server runs each request's route on a worker thread, which a trigger holds while it waits on the
 * Kubernetes API: as many callers as the pool has threads are served at once, the others wait for a free one.
 */
class ConcurrentRequestsTest extends SlimJobsTestSupport {

    /** The concurrent clients a busy caller (a batch, a Kafka bridge) may bring, above Vert.x' default pool of 20. */
    private static final int CALLERS = 32;

    @Test
    void should_serve_32_waiting_requests_at_once() throws Exception {
        AtomicInteger waiting = new AtomicInteger();
        CountDownLatch released = new CountDownLatch(1);
        // stands for a route that waits on the API server: it holds its thread until the test lets it go
        // a lambda, not a RouteBuilder class, which camel-main's scan would pick up for every test
        RouteBuilder.addRoutes(context, routes -> routes.from("platform-http:/test/waiting").routeId("test-waiting")
                .process(exchange -> {
                    waiting.incrementAndGet();
                    released.await(30, TimeUnit.SECONDS);
                })
                .setBody(routes.constant("done")));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            answers.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/test/waiting"))
                    .timeout(Duration.ofSeconds(40)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        try {
            awaitUntil("all " + CALLERS + " requests in their route at once",
                    Duration.ofSeconds(10), () -> waiting.get() == CALLERS);
        } finally {
            released.countDown();
        }
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            assertEquals(200, answer.get(40, TimeUnit.SECONDS).statusCode());
        }
    }
}
