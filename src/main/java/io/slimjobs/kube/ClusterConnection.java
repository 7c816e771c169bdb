package io.slimjobs.kube;

import java.time.Duration;
import java.util.Map;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes API SlimJobs works against: the one fabric8 finds (service account, `KUBECONFIG`,
 * `~/.kube/config`), an explicit master URL, or, where none is configured, an embedded demo cluster.
 */
public final class ClusterConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterConnection.class);
    private static final String EMBEDDED_NAMESPACE = "default";

    private final KubernetesClient client;
    private final String namespace;
    private final EmbeddedCluster embedded;

    private ClusterConnection(KubernetesClient client, String namespace, EmbeddedCluster embedded) {
        this.client = client;
        this.namespace = namespace;
        this.embedded = embedded;
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
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        String effectiveNamespace = namespace != null && !namespace.isBlank() ? namespace
                : client.getNamespace() != null ? client.getNamespace() : "default";
        LOG.info("Working in namespace {} of the Kubernetes API at {}", effectiveNamespace, client.getMasterUrl());
        return new ClusterConnection(client, effectiveNamespace, null);
    }

    public static ClusterConnection embedded(Duration demoRunDuration) {
        EmbeddedCluster cluster = EmbeddedCluster.start(EMBEDDED_NAMESPACE, demoRunDuration);
        LOG.warn("*** No Kubernetes cluster is configured: running against an EMBEDDED DEMO CLUSTER at {}. Jobs do "
                + "not really run; each one succeeds after {}. Set SLIMJOBS_EMBEDDED_CLUSTER=false to forbid this. ***",
                cluster.masterUrl(), demoRunDuration);
        return new ClusterConnection(cluster.client(), EMBEDDED_NAMESPACE, cluster);
    }

    public KubernetesClient client() {
        return client;
    }

    public String namespace() {
        return namespace;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        } else {
            client.close();
        }
    }
}
