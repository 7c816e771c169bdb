package io.slimjobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A plain HTTP/1.1 client for tests, on a bare socket so that it can choose its source address on loopback
 * (127.0.0.x) and call as a pod IP of the namespace or as an outsider. One request per connection.
 */
public final class HttpCaller {

    public static final String OUTSIDER = "127.0.0.1";
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** One HTTP answer. */
    public record Answer(int status, String contentType, String allow, String body, Map<String, String> headers) {

        /** A response header by its name, in any case; null when absent. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

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

    private final int port;
    private final int timeoutMillis;

    public HttpCaller(int port) {
        this(port, TIMEOUT);
    }

    /** A caller that gives up (failing the test) when connecting, or waiting for the answer, takes longer. */
    public HttpCaller(int port, Duration timeout) {
        this.port = port;
        this.timeoutMillis = (int) timeout.toMillis();
    }

    /** A `Transfer-Encoding: chunked` header sends the body in one chunk instead of with a length. */
    public Answer call(String sourceAddress, String method, String path, Map<String, String> headers, String body) {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(timeoutMillis);
            socket.bind(new InetSocketAddress(sourceAddress, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            boolean chunked = "chunked".equalsIgnoreCase(headers.get("Transfer-Encoding"));
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (body != null && !chunked) {
                head.append("Content-Length: ").append(content.length).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            if (chunked) {
                out.write((Integer.toHexString(content.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(content);
                out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write(content);
            }
            out.flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " to port " + port + " failed", e);
        }
    }

    /** Reads the whole answer: the server closes the connection after it, as asked. */
    private static Answer read(InputStream in) throws IOException {
        // one char per byte, so that chunk sizes (in bytes) index the text; the body is decoded as UTF-8 last
        String raw = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        int endOfHead = raw.indexOf("\r\n\r\n");
        if (endOfHead < 0) {
            throw new IOException("incomplete answer: " + raw);
        }
        String[] lines = raw.substring(0, endOfHead).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] header = lines[i].split(":", 2);
            headers.put(header[0].trim().toLowerCase(Locale.ROOT), header[1].trim());
        }
        String body = raw.substring(endOfHead + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers.get("content-type"),
                headers.get("allow"), new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8),
                headers);
    }

    /** The body a chunked transfer coding carries. */
    public static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int endOfSize = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, endOfSize).split(";")[0].trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, endOfSize + 2, endOfSize + 2 + size);
            at = endOfSize + 2 + size + 2;
        }
    }
}
