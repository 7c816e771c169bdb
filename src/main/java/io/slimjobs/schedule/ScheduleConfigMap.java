package io.slimjobs.schedule;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.slimjobs.Json;
import io.slimjobs.kube.Informers;
import io.slimjobs.kube.Labels;
import io.slimjobs.kube.Named;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ConfigMap of the schedules that every replica shares, keyed by schedule Id: the schedules created through the
 * API (the value is the schedule as a JSON object), or their run records. Read from an informer cache watching that
 * name only; written either whole with optimistic concurrency (re-read and retried when another write came first) or
 * by merge patches of single keys. The first write creates it.
 */
public final class ScheduleConfigMap implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleConfigMap.class);

    /**
     * The ConfigMap as cached: its uid (a ConfigMap deleted and created again has a new one), its resourceVersion
     * and its data, id → JSON text (empty when it has none).
     */
    public record State(String uid, String resourceVersion, Map<String, String> data) {
    }

    /** Each conflict means another writer got there first, which the next read shows; this bounds a tug of war. */
    private static final int ATTEMPTS = 10;

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final SharedIndexInformer<ConfigMap> informer;
    private final CompletableFuture<Void> synced = new CompletableFuture<>();
    /** Closing before the watch is up fails the start: that is no problem worth a log line. */
    private volatile boolean closed;

    public ScheduleConfigMap(KubernetesClient client, String namespace, String name, long resyncMillis) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        informer = Informers.retrying(client.configMaps().inNamespace(namespace).withField("metadata.name", name)
                .runnableInformer(resyncMillis));
    }

    public String name() {
        return name;
    }

    /** Starts the informer; completes once the cache holds the ConfigMap, or knows there is none. */
    public CompletableFuture<Void> start() {
        return informer.start().toCompletableFuture().whenComplete((read, failure) -> {
            if (failure != null && !closed) {
                LOG.error("The schedules ConfigMap {} of namespace {} cannot be read", name, namespace, failure);
            } else if (failure == null) {
                synced.complete(null);
            }
        });
    }

    public boolean hasSynced() {
        return informer.hasSynced();
    }

    /** Completes once the cache holds the ConfigMap, or knows there is none. */
    public CompletableFuture<Void> synced() {
        return synced;
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

    /**
     * Applies a change to the data as the API server holds it now (keys without a value left out), and writes the
     * result only if nobody wrote in between; otherwise reads again and applies the change again. A change answers
     * null to write nothing; it may throw to refuse. Says whether it wrote.
     *
     * @throws KubernetesClientException the API server refused, or other writes kept coming first (409)
     */
    public boolean modify(UnaryOperator<Map<String, String>> change) {
        Resource<ConfigMap> stored = client.configMaps().inNamespace(namespace).withName(name);
        for (int attempt = 1; ; attempt++) {
            ConfigMap current = stored.get();
            Map<String, String> data = change.apply(current == null ? new TreeMap<>() : schedules(current));
            if (data == null) {
                return false;
            }
            try {
                if (current == null) {
                    client.configMaps().inNamespace(namespace).resource(build(data)).create();
                } else {
                    // the resourceVersion read above makes the update fail if anything was written since
                    client.configMaps().inNamespace(namespace)
                            .resource(new ConfigMapBuilder(current).withData(data).build()).update();
                }
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == ATTEMPTS) {
                    throw e;
                }
                LOG.debug("ConfigMap {} changed while it was written; reading it again", name);
            }
        }
    }

    /** Sets these keys, leaving the others as they are: writers of different keys never conflict. */
    public void put(Map<String, String> entries) {
        String patch = Json.MAPPER.createObjectNode().set("data", Json.MAPPER.valueToTree(entries)).toString();
        try {
            mergePatch(patch);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            try {
                client.configMaps().inNamespace(namespace).resource(build(entries)).create();
            } catch (KubernetesClientException created) {
                if (created.getCode() != 409) {
                    throw created;
                }
                // another replica created it meanwhile
                mergePatch(patch);
            }
        }
    }

    private void mergePatch(String patch) {
        client.configMaps().inNamespace(namespace).resource(Named.object(ConfigMap.class, name))
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    /** A new ConfigMap of this name holding these entries, labelled as made by SlimJobs. */
    ConfigMap build(Map<String, String> data) {
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
