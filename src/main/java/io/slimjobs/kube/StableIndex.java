package io.slimjobs.kube;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.Store;

/**
 * An index of an informer's objects by value that a concurrent update never hides. fabric8's own indexes
 * (`CacheImpl.updateIndices`) drop an updated object's entries before adding the new ones, without a lock
 * for readers, so a lookup during an update can find nothing. This one adds an object's new entries before
 * dropping stale ones, and answers with the store's current objects that still have the value.
 */
final class StableIndex<T extends HasMetadata> implements ResourceEventHandler<T> {

    private final Store<T> store;
    private final Function<T, List<String>> values;
    /** Store keys by value; only the informer's event thread writes. */
    private final Map<String, Set<String>> keys = new ConcurrentHashMap<>();

    StableIndex(SharedIndexInformer<T> informer, Function<T, List<String>> values) {
        this.store = informer.getStore();
        this.values = values;
        informer.addEventHandler(this);
    }

    List<T> get(String value) {
        return keys.getOrDefault(value, Set.of()).stream()
                .map(store::getByKey)
                .filter(Objects::nonNull)
                .filter(object -> values.apply(object).contains(value))
                .toList();
    }

    @Override
    public void onAdd(T object) {
        String key = Cache.metaNamespaceKeyFunc(object);
        values.apply(object).forEach(value -> keys.computeIfAbsent(value, v -> ConcurrentHashMap.newKeySet()).add(key));
    }

    @Override
    public void onUpdate(T before, T after) {
        onAdd(after);
        List<String> kept = values.apply(after);
        remove(before, value -> !kept.contains(value));
    }

    @Override
    public void onDelete(T object, boolean finalStateUnknown) {
        remove(object, value -> true);
    }

    private void remove(T object, Predicate<String> stale) {
        String key = Cache.metaNamespaceKeyFunc(object);
        values.apply(object).stream().filter(stale).forEach(value -> keys.computeIfPresent(value, (v, set) -> {
            set.remove(key);
            return set.isEmpty() ? null : set;
        }));
    }
}
