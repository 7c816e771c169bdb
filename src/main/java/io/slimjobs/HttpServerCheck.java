package io.slimjobs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import io.vertx.core.net.impl.TCPServerBase;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;

/**
 * Fails startup when the HTTP server is not listening. platform-http-vertx throws its bind failure inside the
 * Vert.x listen callback, where Vert.x only logs it, and starts the context anyway: the process would run its
 * informers and dispatcher with no API.
 */
final class HttpServerCheck implements StartupListener {

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        VertxPlatformHttpServer server = context.hasService(VertxPlatformHttpServer.class);
        if (server == null) {
            throw new IllegalStateException("the HTTP server was not created (camel.server.enabled is false?)");
        }
        // listen() has completed, one way or the other, before the server's start returns; Vert.x 4 tells
        // whether it succeeded only through its implementation class
        if (!(server.getServer() instanceof TCPServerBase listener) || !listener.isListening()) {
            throw new IllegalStateException(reason(server.getHost(), server.getPort()));
        }
    }

    /** Vert.x keeps the cause to itself, so bind the address again to learn it. */
    private static String reason(String host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, port));
            return "the HTTP server could not listen on " + host + ":" + port + " (see the reason logged above)";
        } catch (IOException e) {
            return "HTTP port " + port + " is already in use or may not be opened on " + host + ": " + e.getMessage();
        }
    }
}
