package io.slimjobs.schedule;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.slimjobs.kube.Informers;
import io.slimjobs.kube.Labels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one ConfigMap holding the schedules created through the API, read from an informer cache watching that name
 * only. Its data has a key per schedule, the schedule's id, whose value is the schedule as a JSON object.
 */
public final class ScheduleConfigMap implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleConfigMap.class);

    /**
     * The ConfigMap as cached: its uid (a ConfigMap deleted and created again has a new one), its resourceVersion
     * and its data, id → JSON text (empty when it has none).
     */
    public record State(String uid, String resourceVersion, Map<String, String> data) {
    }

    private final String namespace;
    private final String name;
    private final SharedIndexInformer<ConfigMap> informer;
    /** Closing before the watch is up fails the start: that is no problem worth a log line. */
    private volatile boolean closed;

    public ScheduleConfigMap(KubernetesClient client, String namespace, String name, long resyncMillis) {
        this.namespace = namespace;
        this.name = name;
        informer = client.configMaps().inNamespace(namespace).withField("metadata.name", name)
                .runnableInformer(resyncMillis);
    }

    public String name() {
        return name;
    }

    /** Starts the informer; completes once the cache holds the ConfigMap, or knows there is none. */
    public CompletableFuture<Void> start() {
        return informer.start().toCompletableFuture().whenComplete((synced, failure) -> {
            if (failure != null && !closed) {
                LOG.error("The schedules ConfigMap {} of namespace {} cannot be read", name, namespace, failure);
            }
        });
    }

    public boolean hasSynced() {
        return informer.hasSynced();
    }

    /** The ConfigMap as the cache holds it; empty when there is none. */
    public Optional<State> current() {
        return Optional.ofNullable(informer.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name)))
                .map(ScheduleConfigMap::state);
    }

    /** Calls the listener after each change of the ConfigMap (created, changed, deleted); {@link #current()} has it. */
    public void onChange(Runnable listener) {
        informer.addEventHandler(Informers.onChange(configMap -> listener.run(), configMap -> listener.run()));
    }

    /** A new ConfigMap of this name holding these schedules, labelled as made by SlimJobs. */
    public ConfigMap build(Map<String, String> data) {
        return new ConfigMapBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace)
                    .addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).endMetadata()
                .withData(data)
                .build();
    }

    /** The schedules a ConfigMap holds, by id; a key without a value holds none. */
    static Map<String, String> schedules(ConfigMap configMap) {
        Map<String, String> data = new TreeMap<>();
        if (configMap.getData() != null) {
            configMap.getData().forEach((id, json) -> {
                if (json != null) {
                    data.put(id, json);
                }
            });
        }
        return data;
    }

    private static State state(ConfigMap configMap) {
        return new State(configMap.getMetadata().getUid(), configMap.getMetadata().getResourceVersion(),
                Collections.unmodifiableMap(schedules(configMap)));
    }

    @Override
    public void close() {
        closed = true;
        informer.close();
    }
}
