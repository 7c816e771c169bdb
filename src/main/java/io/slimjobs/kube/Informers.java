package io.slimjobs.kube;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Indexer;

/** What the indexes need from fabric8 informers beyond their own API. */
public final class Informers {

    private Informers() {
    }

    /**
     * The informer, made to retry, with fabric8's backoff, a failed listing or watch also before its first listing
     * succeeded: by default one whose first listing fails (the API server away or too slow while SlimJobs starts)
     * stops for good, and the replica never gets ready.
     */
    public static <T> SharedIndexInformer<T> retrying(SharedIndexInformer<T> informer) {
        informer.exceptionHandler((started, failure) -> true);
        return informer;
    }

    /**
     * An index lookup that a concurrent update never hides. fabric8's cache applies an update, store and indexes,
     * under its own monitor, dropping the object's index entries before adding the new ones, while `byIndex`
     * reads without that monitor: a lookup in between finds nothing. Holding the monitor sees the cache before or
     * after an update, never in the middle. Unlike an index kept by an event handler, this one is up to date
     * before any handler runs, so a listener woken by an event always reads that event's state.
     */
    static <T> List<T> byIndex(SharedIndexInformer<T> informer, String indexName, String value) {
        return byIndex(informer, indexName, () -> value);
    }

    /** The same, with the value to look up computed under the monitor too, so that a {@link #reindex} cannot interleave. */
    static <T> List<T> byIndex(SharedIndexInformer<T> informer, String indexName, Supplier<String> value) {
        Indexer<T> indexer = informer.getIndexer();
        synchronized (indexer) {
            return indexer.byIndex(indexName, value.get());
        }
    }

    /**
     * Replaces an index function and indexes every cached object again with it, then runs {@code swapped}, all under
     * the monitor that updates and {@link #byIndex} hold: a reader sees the old index or the new one, never none. An
     * index function must give an object the same keys when it is removed as when it was added, so one that reads
     * something that can change is replaced this way rather than left to read the new value.
     */
    static <T> void reindex(SharedIndexInformer<T> informer, String indexName, Function<T, List<String>> indexFunction,
                            Runnable swapped) {
        Indexer<T> indexer = informer.getIndexer();
        synchronized (indexer) {
            indexer.removeIndexer(indexName);
            indexer.addIndexers(Map.of(indexName, indexFunction));
            swapped.run();
        }
    }

    /** A handler that passes added and changed objects (their new state) to one consumer, removed ones to another. */
    public static <T> ResourceEventHandler<T> onChange(Consumer<T> addedOrChanged, Consumer<T> removed) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                addedOrChanged.accept(object);
            }

            @Override
            public void onUpdate(T before, T after) {
                addedOrChanged.accept(after);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                removed.accept(object);
            }
        };
    }
}
