package io.slimjobs.kube;

import java.time.Duration;
import java.util.Map;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.slimjobs.Version;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes API SlimJobs works against, in the namespace it uses: the one fabric8 finds (service account,
 * `KUBECONFIG`, `~/.kube/config`), an explicit master URL, or another source such as the embedded demo cluster.
 */
public final class ClusterConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterConnection.class);

    /** How SlimJobs names itself to the API server, so that audit logs tell its calls apart. */
    public static final String USER_AGENT = "slimjobs/" + Version.CURRENT;

    private final KubernetesClient client;
    private final String namespace;
    /** Closes the client and whatever serves it. */
    private final AutoCloseable owner;

    private ClusterConnection(KubernetesClient client, String namespace, AutoCloseable owner) {
        this.client = client;
        this.namespace = namespace;
        this.owner = owner;
    }

    /** A connection whose client and server {@code owner} closes, as an in-process API server does. */
    public static ClusterConnection of(KubernetesClient client, String namespace, AutoCloseable owner) {
        return new ClusterConnection(client, namespace, owner);
    }

    /**
     * Whether a cluster is named other than by a kubeconfig, the way fabric8's discovery would find it: an explicit
     * master URL, the in-cluster service, or `KUBERNETES_MASTER`.
     */
    public static boolean isNamedOutsideKubeconfig(Map<String, String> env, String masterUrl) {
        return (masterUrl != null && !masterUrl.isBlank())
                || env.containsKey("KUBERNETES_SERVICE_HOST")
                || env.containsKey("KUBERNETES_MASTER")
                || System.getProperty(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY) != null;
    }

    /**
     * @param requestRetries how often a failed API call is retried (100 ms, then doubling) before the caller
     *                       gets a 503: fabric8's default of 10 would hold a trigger for minutes
     */
    public static ClusterConnection configured(String masterUrl, String namespace, int requestRetries) {
        Config config = Config.autoConfigure(null);
        if (masterUrl != null && !masterUrl.isBlank()) {
            config.setMasterUrl(masterUrl);
        }
        config.setRequestRetryBackoffLimit(requestRetries);
        config.setUserAgent(USER_AGENT);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        String effectiveNamespace = namespace != null && !namespace.isBlank() ? namespace
                : client.getNamespace() != null ? client.getNamespace() : "default";
        LOG.info("Working in namespace {} of the Kubernetes API at {}", effectiveNamespace, client.getMasterUrl());
        return new ClusterConnection(client, effectiveNamespace, client);
    }

    /**
     * The same client with a request timeout of its own, for writes a caller waits for: no single request outlives
     * the caller's deadline, while informers, watches and the Lease keep fabric8's longer timeout.
     */
    public KubernetesClient withRequestTimeout(Duration timeout) {
        RequestConfig config = new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                .withRequestTimeout((int) timeout.toMillis()).build();
        return client.newClient(config).adapt(KubernetesClient.class);
    }

    public KubernetesClient client() {
        return client;
    }

    public String namespace() {
        return namespace;
    }

    @Override
    public void close() {
        try {
            owner.close();
        } catch (Exception e) {
            LOG.warn("Closing the connection to the Kubernetes API failed", e);
        }
    }
}
