package io.slimjobs.kube;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/** Every pod of the namespace: who is a trusted caller (by pod IP) and the pods of each execution. */
public final class PodIndex implements AutoCloseable {

    private static final String TRUSTED_BY_IP = "trustedByIp";
    private static final String BY_EXECUTION_ID = "byExecutionId";

    private final SharedIndexInformer<Pod> informer;

    public PodIndex(KubernetesClient client, String namespace, long resyncMillis) {
        informer = Informers.retrying(client.pods().inNamespace(namespace).runnableInformer(resyncMillis)
                .itemStore(CachedFields.podStore()));
        informer.addIndexers(Map.of(
                TRUSTED_BY_IP, PodIndex::trustedIps,
                BY_EXECUTION_ID, pod -> {
                    String id = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(Labels.ID);
                    return id == null ? List.of() : List.of(id);
                }));
    }

    /**
     * Tells the listener the job name of every pod of an execution that is added, changed or removed: a kubelet
     * moves a pod (say, to ImagePullBackOff) without touching its Job.
     */
    public void onChange(Consumer<String> listener) {
        Consumer<Pod> byJobName = pod -> {
            Map<String, String> labels = pod.getMetadata().getLabels();
            if (labels != null && Labels.MANAGED_BY_VALUE.equals(labels.get(Labels.MANAGED_BY))
                    && labels.get(Labels.JOB) != null) {
                listener.accept(labels.get(Labels.JOB));
            }
        };
        informer.addEventHandler(Informers.onChange(byJobName, byJobName));
    }

    public void start() {
        informer.start();
    }

    public boolean hasSynced() {
        return informer.hasSynced();
    }

    /** Whether an address is the IP of a pod of the namespace that holds it now (see {@link #trustedIps}). */
    public boolean isTrustedPodIp(InetAddress address) {
        return !Informers.byIndex(informer, TRUSTED_BY_IP, address.getHostAddress()).isEmpty();
    }

    List<Pod> podsOf(String executionId) {
        return Informers.byIndex(informer, BY_EXECUTION_ID, executionId);
    }

    /**
     * The IPs of a running pod, or of a pending one that already has them, written the way
     * {@link InetAddress#getHostAddress()} writes a caller's address. None for a finished pod: it keeps its IP
     * in its status for its Job's whole TTL while the network may give that IP to another pod, even of another
     * namespace. None for a host-network pod: its IP is its node's, shared by everything on that node.
     */
    private static List<String> trustedIps(Pod pod) {
        List<String> ips = new ArrayList<>();
        if (pod.getStatus() == null || !List.of("Running", "Pending").contains(pod.getStatus().getPhase())
                || pod.getSpec() != null && Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
            return ips;
        }
        List<String> written = new ArrayList<>();
        written.add(pod.getStatus().getPodIP());
        if (pod.getStatus().getPodIPs() != null) {
            pod.getStatus().getPodIPs().stream().map(PodIP::getIp).forEach(written::add);
        }
        written.stream().map(IpAddresses::parse).flatMap(Optional::stream).map(InetAddress::getHostAddress)
                .filter(ip -> !ips.contains(ip)).forEach(ips::add);
        return ips;
    }

    @Override
    public void close() {
        informer.close();
    }
}
