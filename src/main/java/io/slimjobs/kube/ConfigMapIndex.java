package io.slimjobs.kube;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Predicate;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * One ConfigMap, by name, read from an informer (a field selector on its name): each `data` entry parsed into a
 * value. Entries are parsed again only when their text changes, so that reading thousands of them once a minute
 * costs a map lookup each.
 *
 * @param <T> what an entry's text is parsed into
 */
public final class ConfigMapIndex<T> implements AutoCloseable {

    private final SharedIndexInformer<ConfigMap> informer;
    private final String key;
    /** Parses one entry (key, text); null leaves it out (the parser says why, once: the same text is not retried). */
    private final BiFunction<String, String, T> parser;
    private final CompletableFuture<Void> synced = new CompletableFuture<>();
    private final Object changes = new Object();
    private volatile Snapshot<T> snapshot = new Snapshot<>(null, Map.of(), Map.of());

    private record Snapshot<T>(String resourceVersion, Map<String, String> texts, Map<String, T> values) {
    }

    public ConfigMapIndex(KubernetesClient client, String namespace, String name, long resyncMillis,
                          BiFunction<String, String, T> parser) {
        this.key = Cache.namespaceKeyFunc(namespace, name);
        this.parser = parser;
        informer = client.configMaps().inNamespace(namespace).withField("metadata.name", name)
                .runnableInformer(resyncMillis);
        informer.addEventHandler(Informers.onChange(changed -> changed(), removed -> changed()));
    }

    private void changed() {
        synchronized (changes) {
            changes.notifyAll();
        }
    }

    public void start() {
        informer.start().thenRun(() -> synced.complete(null));
    }

    public boolean hasSynced() {
        return informer.hasSynced();
    }

    /** Completes once the first listing is cached. */
    public CompletableFuture<Void> synced() {
        return synced;
    }

    /** The entries by `data` key; none while the ConfigMap does not exist. The same map until the ConfigMap changes. */
    public Map<String, T> entries() {
        ConfigMap cached = informer.getStore().getByKey(key);
        String version = cached == null ? null : cached.getMetadata().getResourceVersion();
        Snapshot<T> last = snapshot;
        if (Objects.equals(version, last.resourceVersion())) {
            return last.values();
        }
        Map<String, String> texts = cached == null || cached.getData() == null ? Map.of()
                : new LinkedHashMap<>(cached.getData());
        Map<String, T> values = new LinkedHashMap<>();
        texts.forEach((entry, text) -> {
            T value = text == null ? null
                    : text.equals(last.texts().get(entry)) ? last.values().get(entry) : parser.apply(entry, text);
            if (value != null) {
                values.put(entry, value);
            }
        });
        Snapshot<T> next = new Snapshot<>(version, texts, Collections.unmodifiableMap(values));
        snapshot = next;
        return next.values();
    }

    /**
     * Waits, at most the timeout, until the cached entries satisfy the condition: a caller who just wrote reads its
     * own write from the cache afterwards. Says whether they did.
     */
    public boolean await(Predicate<Map<String, T>> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changes) {
            while (!condition.test(entries())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    changes.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public void close() {
        informer.close();
    }
}
