package io.slimjobs.queue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.slimjobs.kube.Labels;

/**
 * Watches the API server the way an operator would: which executions were released and in which order, when each
 * finished, how many of each cap group were released and unfinished at once, and every release (a Job's
 * `spec.suspend` going from true to false) with the time it was seen.
 */
final class ReleaseObserver implements AutoCloseable {

    /** Execution ids in the order they were seen released, then seen finished ("released:id", "finished:id"). */
    private final List<String> history = new CopyOnWriteArrayList<>();
    private final List<String> releaseOrder = new CopyOnWriteArrayList<>();
    private final Map<String, Set<String>> activeByGroup = new ConcurrentHashMap<>();
    private final Map<String, Integer> mostActiveByGroup = new ConcurrentHashMap<>();
    private final List<Release> releases = new CopyOnWriteArrayList<>();
    private final UnaryOperator<String> capGroupOf;
    private final SharedIndexInformer<Job> informer;

    ReleaseObserver(KubernetesClient client, String namespace, UnaryOperator<String> capGroupOf) {
        this.capGroupOf = capGroupOf;
        informer = client.batch().v1().jobs().inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Job job) {
                record(job, false);
            }

            @Override
            public void onUpdate(Job before, Job after) {
                if (Boolean.TRUE.equals(before.getSpec().getSuspend())
                        && Boolean.FALSE.equals(after.getSpec().getSuspend())) {
                    releases.add(new Release(after.getMetadata().getLabels().get(Labels.ID), System.nanoTime()));
                }
                record(after, false);
            }

            @Override
            public void onDelete(Job job, boolean finalStateUnknown) {
                record(job, true);
            }
        });
    }

    private synchronized void record(Job job, boolean deleted) {
        String id = job.getMetadata().getLabels().get(Labels.ID);
        String group = capGroupOf.apply(job.getMetadata().getLabels().get(Labels.JOB));
        boolean released = Boolean.FALSE.equals(job.getSpec().getSuspend());
        if (released && !releaseOrder.contains(id)) {
            releaseOrder.add(id);
            history.add("released:" + id);
        }
        if (finished(job) && !history.contains("finished:" + id)) {
            history.add("finished:" + id);
        }
        Set<String> active = activeByGroup.computeIfAbsent(group, g -> ConcurrentHashMap.newKeySet());
        if (released && !deleted && !finished(job)) {
            active.add(id);
        } else {
            active.remove(id);
        }
        mostActiveByGroup.merge(group, active.size(), Math::max);
    }

    static boolean finished(Job job) {
        return job.getStatus() != null && job.getStatus().getConditions() != null
                && job.getStatus().getConditions().stream().anyMatch(c -> "True".equals(c.getStatus())
                        && ("Complete".equals(c.getType()) || "Failed".equals(c.getType())));
    }

    /** One release: the execution's id and the {@link System#nanoTime()} it was seen at. */
    record Release(String id, long seenAtNanos) {
    }

    /** Every suspend true → false transition seen, in order: an execution released twice appears twice. */
    List<Release> releases() {
        return releases;
    }

    List<String> releaseOrder() {
        return releaseOrder;
    }

    List<String> history() {
        return history;
    }

    Set<String> active(String capGroup) {
        return activeByGroup.getOrDefault(capGroup, Set.of());
    }

    int mostActiveAtOnce(String capGroup) {
        return mostActiveByGroup.getOrDefault(capGroup, 0);
    }

    @Override
    public void close() {
        informer.close();
    }
}
