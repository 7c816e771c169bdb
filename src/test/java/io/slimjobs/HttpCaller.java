package io.slimjobs;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;

/**
 * A plain HTTP client for tests that can choose its source address on loopback (127.0.0.x), so that a test
 * can call as a pod IP of the namespace or as an outsider.
 */
public final class HttpCaller implements AutoCloseable {

    public static final String OUTSIDER = "127.0.0.1";

    /** One HTTP answer. */
    public record Answer(int status, String contentType, String allow, String body) {

        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final int port;

    public HttpCaller(int port) {
        this.port = port;
    }

    public Answer call(String sourceAddress, String method, String path, Map<String, String> headers, String body) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                .setLocalAddress(sourceAddress).setDefaultHost("127.0.0.1").setDefaultPort(port));
        // where a call that never answers got stuck, for the failure message
        AtomicReference<String> stage = new AtomicReference<>("connecting");
        try {
            return client.request(HttpMethod.valueOf(method), path)
                    .compose(request -> {
                        stage.set("sent from " + request.connection().localAddress() + ", awaiting the answer");
                        headers.forEach(request::putHeader);
                        // a body sent in chunks declares no length up front
                        request.setChunked("chunked".equalsIgnoreCase(headers.get("Transfer-Encoding")));
                        return body == null ? request.send() : request.send(Buffer.buffer(body));
                    })
                    .compose(response -> {
                        stage.set("reading the body of a " + response.statusCode());
                        return response.body().map(buffer -> new Answer(response.statusCode(),
                                response.getHeader("Content-Type"), response.getHeader("Allow"), buffer.toString()));
                    })
                    .toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " to port " + port + " failed while " + stage.get(), e);
        } finally {
            client.close();
        }
    }

    @Override
    public void close() {
        vertx.close();
    }
}
