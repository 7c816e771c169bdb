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
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/** Every pod of the namespace: who is a trusted caller (by pod IP) and the pods of each execution. */
public final class PodIndex implements AutoCloseable {

    private static final String BY_POD_IP = "byPodIp";
    private static final String BY_EXECUTION_ID = "byExecutionId";

    private final SharedIndexInformer<Pod> informer;

    public PodIndex(KubernetesClient client, String namespace, long resyncMillis) {
        informer = client.pods().inNamespace(namespace).runnableInformer(resyncMillis);
        informer.addIndexers(Map.of(
                BY_POD_IP, PodIndex::podIps,
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
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                byJobName.accept(pod);
            }

            @Override
            public void onUpdate(Pod before, Pod after) {
                byJobName.accept(after);
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                byJobName.accept(pod);
            }
        });
    }

    public void start() {
        informer.start();
    }

    public boolean hasSynced() {
        return informer.hasSynced();
    }

    /** Whether an address belongs to a pod of the namespace. */
    public boolean isPodIp(InetAddress address) {
        return !informer.getIndexer().byIndex(BY_POD_IP, address.getHostAddress()).isEmpty();
    }

    List<Pod> podsOf(String executionId) {
        return informer.getIndexer().byIndex(BY_EXECUTION_ID, executionId);
    }

    /** Written the way {@link InetAddress#getHostAddress()} writes a caller's address, so that both compare. */
    private static List<String> podIps(Pod pod) {
        List<String> ips = new ArrayList<>();
        if (pod.getStatus() != null) {
            List<String> written = new ArrayList<>();
            written.add(pod.getStatus().getPodIP());
            if (pod.getStatus().getPodIPs() != null) {
                pod.getStatus().getPodIPs().stream().map(PodIP::getIp).forEach(written::add);
            }
            written.stream().map(IpAddresses::parse).flatMap(Optional::stream).map(InetAddress::getHostAddress)
                    .filter(ip -> !ips.contains(ip)).forEach(ips::add);
        }
        return ips;
    }

    @Override
    public void close() {
        informer.close();
    }
}
