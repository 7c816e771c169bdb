package io.slimjobs.events;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.slimjobs.Json;

/**
 * A completion callback receiver on 127.0.0.1: records every request and answers the statuses queued with
 * {@link #answer}, then {@link #otherwise}.
 */
final class CallbackReceiver implements AutoCloseable {

    /** One request as received: the raw body, and headers by lower-case name. */
    record Received(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {

        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + new String(body), e);
            }
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
    private volatile int otherwise = 200;

    CallbackReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new java.util.TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, body));
            Integer status = answers.poll();
            exchange.sendResponseHeaders(status == null ? otherwise : status, -1);
            exchange.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next requests get these statuses, in order. */
    void answer(Integer... statuses) {
        answers.addAll(List.of(statuses));
    }

    /** Requests with no status queued get this one. */
    void otherwise(int status) {
        otherwise = status;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    List<Received> receivedFor(String executionId) {
        return received.stream().filter(r -> r.json().path("id").asText().equals(executionId)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
