import java.net.InetAddress;
import java.util.HashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * The benchmark's Kubernetes API: fabric8's mock server in CRUD mode, alone in its process, on 127.0.0.1. Nothing
 * in it changes status by itself: the load generator plays the controllers where a phase needs them.
 *
 * <p>Usage: {@code java -cp 'target/lib/*:target/slimjobs.jar' bench/ApiServer.java [port]} (none: a free one); prints
 * {@code ready <port>} once it listens and serves until killed.
 */
public final class ApiServer {

    /** Held strongly: JUL keeps loggers weakly, and the mock logs every request at INFO. */
    private static final Logger MOCK_LOG = Logger.getLogger(MockWebServer.class.getName());

    public static void main(String[] args) throws Exception {
        MOCK_LOG.setLevel(Level.WARNING);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getByName("127.0.0.1"), args.length > 0 ? Integer.parseInt(args[0]) : 0);
        System.out.println("ready " + server.getPort());
        Thread.currentThread().join();
    }
}
