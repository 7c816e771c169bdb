package io.slimjobs.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.ServiceLoader;
import java.util.logging.Level;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.MockServerExpectation;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.slimjobs.kube.ClusterConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process Kubernetes API (fabric8's mock server in CRUD mode) with a {@link SimulatedKubelet} that runs Jobs:
 * the demo cluster when no real one is configured, and the cluster of the tests. Answers recorded with
 * {@link #expect()} (a test's refusal, say) come before CRUD. Every {@link RequestWitness} found by
 * {@link ServiceLoader} sees each request served: the tests record with one the calls SlimJobs makes.
 */
public final class EmbeddedCluster implements AutoCloseable {

    /**
     * The mock server logs every request at INFO through java.util.logging; a strong reference keeps the level we
     * set, since JUL holds its loggers weakly.
     */
    private static final java.util.logging.Logger MOCK_SERVER_LOG =
            java.util.logging.Logger.getLogger(MockWebServer.class.getName());

    private static final String DEMO_NAMESPACE = "default";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedCluster.class);

    /** Sees each request the API serves, before it is answered. */
    public interface RequestWitness {
        void served(RecordedRequest request);
    }

    private static final List<RequestWitness> WITNESSES =
            ServiceLoader.load(RequestWitness.class).stream().map(ServiceLoader.Provider::get).toList();

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final SimulatedKubelet kubelet;

    private EmbeddedCluster(KubernetesMockServer server, KubernetesClient client, SimulatedKubelet kubelet) {
        this.server = server;
        this.client = client;
        this.kubelet = kubelet;
    }

    /**
     * Starts the API on 127.0.0.1 and a free port, with a client whose default namespace is {@code namespace} and a
     * kubelet for that namespace.
     *
     * @param runDuration how long each pod runs before it succeeds; {@code null} keeps pods Running until a test
     *                    calls {@link SimulatedKubelet#succeed} or {@link SimulatedKubelet#fail}
     */
    public static EmbeddedCluster start(String namespace, Duration runDuration) {
        MOCK_SERVER_LOG.setLevel(Level.WARNING);
        var expected = new HashMap<ServerRequest, Queue<ServerResponse>>();
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), new MockWebServer(), expected, new WitnessedDispatcher(expected), false);
        KubernetesClient client = null;
        try {
            server.init(InetAddress.getByName("127.0.0.1"), 0);
            // The mock's own URL says "localhost", which may resolve to ::1 where nothing listens.
            String masterUrl = "http://127.0.0.1:" + server.getPort() + "/";
            client = server.createClient(builder -> builder.editOrNewConfig()
                    .withMasterUrl(masterUrl)
                    .withNamespace(namespace)
                    .endConfig());
            SimulatedKubelet kubelet = new SimulatedKubelet(client, namespace, runDuration).start();
            return new EmbeddedCluster(server, client, kubelet);
        } catch (IOException | RuntimeException e) {
            if (client != null) {
                client.close();
            }
            server.destroy();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /**
     * The demo's connection: an embedded cluster whose pods each succeed after {@code runDuration}, reached by a
     * client of SlimJobs' own, apart from the kubelet's.
     */
    public static ClusterConnection demoConnection(Duration runDuration) {
        EmbeddedCluster cluster = start(DEMO_NAMESPACE, runDuration);
        KubernetesClient slimJobs = cluster.server.createClient(builder -> builder.editOrNewConfig()
                .withMasterUrl(cluster.masterUrl())
                .withNamespace(DEMO_NAMESPACE)
                .withUserAgent(ClusterConnection.USER_AGENT)
                .endConfig());
        LOG.warn("*** No Kubernetes cluster is configured: running against an EMBEDDED DEMO CLUSTER at {}. Jobs do "
                + "not really run; each one succeeds after {}. Set SLIMJOBS_EMBEDDED_CLUSTER=false to forbid this. ***",
                cluster.masterUrl(), runDuration);
        return ClusterConnection.of(slimJobs, DEMO_NAMESPACE, () -> {
            slimJobs.close();
            cluster.close();
        });
    }

    public KubernetesClient client() {
        return client;
    }

    /** Records answers that come before CRUD, as fabric8's mock server in expectation mode records them. */
    public MockServerExpectation expect() {
        return server.expect();
    }

    public SimulatedKubelet kubelet() {
        return kubelet;
    }

    public String masterUrl() {
        return client.getConfiguration().getMasterUrl();
    }

    private static final class WitnessedDispatcher extends KubernetesMixedDispatcher {

        WitnessedDispatcher(Map<ServerRequest, Queue<ServerResponse>> expected) {
            super(expected);
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            WITNESSES.forEach(witness -> witness.served(request));
            return super.dispatch(request);
        }
    }

    /** Stops kubelet, client and server; the server's Vert.x threads are not daemons and would keep the JVM up. */
    @Override
    public void close() {
        try {
            kubelet.close();
            client.close();
        } finally {
            server.destroy();
        }
    }
}
