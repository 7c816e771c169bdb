package io.slimjobs.kube;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Deployments and StatefulSets of the namespace, read from informer caches: whether the dependencies of an
 * execution are ready, and which ones SlimJobs woke.
 */
public final class DependencyIndex implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DependencyIndex.class);
    /** Objects carrying SlimJobs' wake mark, under one key: every pass weighs them, so it must not scan the rest. */
    private static final String WOKEN = "woken";

    private final String namespace;
    private final SharedIndexInformer<Deployment> deployments;
    private final SharedIndexInformer<StatefulSet> statefulSets;

    public DependencyIndex(KubernetesClient client, String namespace, long resyncMillis) {
        this.namespace = namespace;
        deployments = Informers.retrying(client.apps().deployments().inNamespace(namespace)
                .runnableInformer(resyncMillis));
        statefulSets = Informers.retrying(client.apps().statefulSets().inNamespace(namespace)
                .runnableInformer(resyncMillis));
        deployments.addIndexers(Map.of(WOKEN, DependencyIndex::wokenKey));
        statefulSets.addIndexers(Map.of(WOKEN, DependencyIndex::wokenKey));
    }

    private static List<String> wokenKey(HasMetadata object) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations != null && annotations.get(Labels.WOKEN) != null ? List.of(WOKEN) : List.of();
    }

    /** Tells the listener the name of every Deployment or StatefulSet added, changed or removed. */
    public void onChange(Consumer<String> listener) {
        Consumer<HasMetadata> byName = object -> listener.accept(object.getMetadata().getName());
        deployments.addEventHandler(Informers.onChange(byName, byName));
        statefulSets.addEventHandler(Informers.onChange(byName, byName));
    }

    /**
     * Starts both informers; completes once both caches hold the namespace's objects. A failure is logged: until
     * they can be read, every execution with a DependsOn stays queued and says so.
     */
    public CompletableFuture<Void> start() {
        return CompletableFuture.allOf(deployments.start().toCompletableFuture(),
                statefulSets.start().toCompletableFuture()).whenComplete((synced, failure) -> {
                    if (failure != null) {
                        LOG.error("The Deployments and StatefulSets of namespace {} cannot be read; executions with a "
                                + "DependsOn stay queued until they can", namespace, failure);
                    }
                });
    }

    public boolean hasSynced() {
        return deployments.hasSynced() && statefulSets.hasSynced();
    }

    /** The Deployment of that name, else the StatefulSet. */
    public Optional<Dependency> find(String name) {
        String key = Cache.namespaceKeyFunc(namespace, name);
        return Optional.ofNullable(deployments.getStore().getByKey(key)).map(DependencyIndex::of)
                .or(() -> Optional.ofNullable(statefulSets.getStore().getByKey(key)).map(DependencyIndex::of));
    }

    /** Why an execution with these dependencies cannot start yet, naming each one not ready; empty if all are. */
    public Optional<String> waitReason(List<String> names) {
        if (names.isEmpty()) {
            return Optional.empty();
        }
        if (!hasSynced()) {
            return Optional.of("waiting for SlimJobs to read the namespace's deployments and statefulsets");
        }
        List<String> reasons = new ArrayList<>();
        for (String name : names) {
            find(name).map(Dependency::waitReason)
                    .orElseGet(() -> Optional.of("no deployment or statefulset named " + name))
                    .ifPresent(reasons::add);
        }
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
    }

    /** The dependencies that carry SlimJobs' wake mark. */
    public List<Dependency> woken() {
        return Stream.concat(Informers.byIndex(deployments, WOKEN, WOKEN).stream().map(DependencyIndex::of),
                        Informers.byIndex(statefulSets, WOKEN, WOKEN).stream().map(DependencyIndex::of))
                .filter(dependency -> dependency.wakeMark().isPresent()).toList();
    }

    private static Dependency of(Deployment deployment) {
        var status = deployment.getStatus();
        return new Dependency(Dependency.Kind.DEPLOYMENT, deployment.getMetadata().getName(),
                desired(deployment.getSpec().getReplicas()), status == null ? 0 : orZero(status.getReadyReplicas()),
                annotations(deployment), deployment.getMetadata().getResourceVersion());
    }

    private static Dependency of(StatefulSet statefulSet) {
        var status = statefulSet.getStatus();
        return new Dependency(Dependency.Kind.STATEFUL_SET, statefulSet.getMetadata().getName(),
                desired(statefulSet.getSpec().getReplicas()), status == null ? 0 : orZero(status.getReadyReplicas()),
                annotations(statefulSet), statefulSet.getMetadata().getResourceVersion());
    }

    /** Its annotations; a key holding null counts as absent (fabric8's mock keeps a key a merge patch nulled). */
    private static Map<String, String> annotations(HasMetadata object) {
        Map<String, String> annotations = new HashMap<>();
        if (object.getMetadata().getAnnotations() != null) {
            object.getMetadata().getAnnotations().forEach((key, value) -> {
                if (value != null) {
                    annotations.put(key, value);
                }
            });
        }
        return Collections.unmodifiableMap(annotations);
    }

    /** An unset `spec.replicas` means 1, as the API server defaults it. */
    private static int desired(Integer replicas) {
        return replicas == null ? 1 : replicas;
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    @Override
    public void close() {
        deployments.close();
        statefulSets.close();
    }
}
