package io.slimjobs.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

import io.slimjobs.error.NotFoundException;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * The dashboard's files, read once from the classpath folder `dashboard/`. Only the names listed here are served,
 * so no request path can reach any other resource.
 */
public final class DashboardFiles {

    /** The path parameter naming the file the page loads. */
    public static final String FILE = "file";

    private static final String PAGE = "index.html";
    /** The files the page loads, by name, with their content types. */
    private static final Map<String, String> ASSETS = Map.of(
            "dashboard.css", "text/css; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8");
    /** The page loads its script, style and data from this server only, and no other site may frame it. */
    private static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";

    private final byte[] page = read(PAGE);
    private final Map<String, byte[]> assets = new TreeMap<>();

    public DashboardFiles() {
        ASSETS.keySet().forEach(name -> assets.put(name, read(name)));
    }

    public void page(Message message) {
        answer(message, "text/html; charset=utf-8", page);
    }

    /** Answers the file the page loads that the path names, or a 404 for any other name. */
    public void asset(@Header(FILE) String name, Message message) {
        byte[] content = name == null ? null : assets.get(name);
        if (content == null) {
            throw new NotFoundException("the dashboard has no file '" + name + "'; its files are "
                    + String.join(", ", assets.keySet()));
        }
        answer(message, ASSETS.get(name), content);
    }

    private static void answer(Message message, String contentType, byte[] content) {
        message.getHeaders().clear();
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        message.setBody(content);
        // revalidated on every load, so that the page and its script never come from two versions; written on the
        // response itself, since platform-http drops a Cache-Control message header as a general HTTP header
        if (message instanceof HttpMessage http) {
            http.getResponse().putHeader("Cache-Control", "no-cache");
        }
    }

    private static byte[] read(String name) {
        try (InputStream in = DashboardFiles.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard file " + name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
