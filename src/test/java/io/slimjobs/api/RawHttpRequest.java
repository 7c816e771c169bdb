package io.slimjobs.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.slimjobs.HttpCaller;

/**
 * One HTTP/1.1 request written byte for byte on a bare socket, so that it can carry what well-behaved clients refuse
 * to send: invalid UTF-8 in the path, bytes above 0x7f in header values, a Content-Length that lies. The target and
 * header values are byte strings: each char is one byte on the wire (see {@link #bytes(String)}).
 *
 * @param source  the loopback address the request is sent from, which decides whether the caller is trusted
 * @param framing how the body is delimited
 */
record RawHttpRequest(String source, String method, String target, List<Header> headers, byte[] body,
                      Framing framing) {

    private static final Pattern MALFORMED_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /** A header whose value is a byte string. */
    record Header(String name, String value) {
    }

    /** How the body is delimited on the wire. */
    enum Framing {
        /** The body's true length. */
        LENGTH,
        /** One chunk, then the last one. */
        CHUNKED,
        /** No body and no length. */
        NONE,
        /** A length shorter than the body: the rest reads as the start of another request. */
        SHORT_LENGTH,
        /** A length longer than the body, then the socket's output closed: the body ends early. */
        LONG_LENGTH,
        /** A Content-Length that is not a number. */
        BOGUS_LENGTH
    }

    /** What came back: the first final answer, or nothing when the server closed the connection without one. */
    record Answer(int status, Map<String, String> headers, byte[] body) {

        static final Answer NONE = new Answer(0, Map.of(), new byte[0]);

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return status == 0 ? "the connection closed without an answer"
                    : status + " " + headers + " " + escape(text(), 2_000);
        }
    }

    /** Thrown when no answer came within the timeout: a hang. */
    static final class Hang extends IOException {
        Hang(String message) {
            super(message);
        }
    }

    /**
     * Whether the HTTP layer may refuse the request with a bare 4xx before any route of the API sees it: it breaks
     * HTTP/1.1 itself (its request line, a header's name or value, its framing), or expects what the server does not
     * do (an `Expect` other than `100-continue` gets a 417). A target that is no path and holds a malformed escape
     * fails Vert.x' path normalisation before even the root router's failure handlers can be matched.
     */
    boolean httpMayRefuse() {
        return framing == Framing.BOGUS_LENGTH || target.length() > 4096
                || target.chars().anyMatch(c -> c <= ' ' || c == 0x7f)
                || !target.startsWith("/") && MALFORMED_ESCAPE.matcher(target).find()
                || headers.stream().anyMatch(header -> !TOKEN.matcher(header.name()).matches()
                        || header.value().chars().anyMatch(c -> c < ' ' && c != '\t' || c == 0x7f)
                        || header.name().equalsIgnoreCase("Expect") && !header.value().equalsIgnoreCase("100-continue"));
    }

    /** A text as the byte string of its UTF-8 encoding. */
    static String bytes(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    Answer send(int port, int timeoutMillis) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(timeoutMillis);
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            boolean refusedWhileSending = false;
            try {
                OutputStream out = socket.getOutputStream();
                out.write(wire());
                out.flush();
                if (framing == Framing.LONG_LENGTH) {
                    socket.shutdownOutput();
                }
            } catch (SocketException e) {
                // the server answered and closed before the whole request was written (a refused head or length)
                refusedWhileSending = true;
            }
            try {
                return read(socket.getInputStream());
            } catch (SocketTimeoutException e) {
                throw new Hang("no answer within " + timeoutMillis + " ms");
            } catch (SocketException e) {
                if (refusedWhileSending) {
                    return Answer.NONE;
                }
                throw e;
            }
        }
    }

    private byte[] wire() {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: 127.0.0.1\r\nConnection: close\r\n");
        for (Header header : headers) {
            head.append(header.name()).append(": ").append(header.value()).append("\r\n");
        }
        switch (framing) {
            case LENGTH -> head.append("Content-Length: ").append(body.length).append("\r\n");
            case CHUNKED -> head.append("Transfer-Encoding: chunked\r\n");
            case SHORT_LENGTH -> head.append("Content-Length: ").append(body.length / 2).append("\r\n");
            case LONG_LENGTH -> head.append("Content-Length: ").append(body.length + 10).append("\r\n");
            case BOGUS_LENGTH -> head.append("Content-Length: 12ab\r\n");
            case NONE -> {
            }
        }
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        if (framing == Framing.CHUNKED) {
            wire.writeBytes((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            wire.writeBytes(body);
            wire.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else if (framing != Framing.NONE) {
            wire.writeBytes(body);
        }
        return wire.toByteArray();
    }

    /** Reads up to the server's close (the request asked for it) and returns its first final answer. */
    private static Answer read(InputStream in) throws IOException {
        byte[] raw = in.readAllBytes();
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int at = 0;
        while (true) {
            int endOfHead = text.indexOf("\r\n\r\n", at);
            if (raw.length == at) {
                return Answer.NONE;
            }
            if (endOfHead < 0) {
                throw new IOException("an incomplete answer: " + escape(text, 2_000));
            }
            String[] lines = text.substring(at, endOfHead).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                String[] header = lines[i].split(":", 2);
                headers.put(header[0].trim().toLowerCase(Locale.ROOT), header.length > 1 ? header[1].trim() : "");
            }
            int bodyStart = endOfHead + 4;
            if (status < 200) {
                at = bodyStart;
                continue;
            }
            String length = headers.get("content-length");
            String body;
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = HttpCaller.dechunk(text.substring(bodyStart));
            } else if (length != null) {
                body = text.substring(bodyStart, Math.min(text.length(), bodyStart + Integer.parseInt(length)));
            } else {
                body = text.substring(bodyStart);
            }
            return new Answer(status, headers, body.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** The request as a test failure shows it: every byte outside printable ASCII escaped. */
    String describe() {
        StringBuilder text = new StringBuilder(method).append(' ').append(escape(target, 500))
                .append("  from ").append(source).append(", framing ").append(framing);
        for (Header header : headers) {
            text.append("\n    ").append(escape(header.name(), 200)).append(": ").append(escape(header.value(), 500));
        }
        return text.append("\n    body (").append(body.length).append(" bytes): ")
                .append(escape(new String(body, StandardCharsets.ISO_8859_1), 2_000)).toString();
    }

    /** Printable ASCII as is, every other char as \xNN (a byte) or \\uNNNN; cut after {@code max} chars. */
    static String escape(String text, int max) {
        StringBuilder escaped = new StringBuilder();
        for (int i = 0; i < Math.min(text.length(), max); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                escaped.append(c);
            } else if (c == '\\') {
                escaped.append("\\\\");
            } else if (c <= 0xff) {
                escaped.append(String.format("\\x%02x", (int) c));
            } else {
                escaped.append(String.format("\\u%04x", (int) c));
            }
        }
        return text.length() > max ? escaped + "… (" + text.length() + " in all)" : escaped.toString();
    }
}
