package io.slimjobs.kube;

import java.util.List;
import java.util.function.Consumer;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Indexer;

/** What the indexes need from fabric8 informers beyond their own API. */
public final class Informers {

    private Informers() {
    }

    /**
     * An index lookup that a concurrent update never hides. fabric8's cache applies an update, store and indexes,
     * under its own monitor, dropping the object's index entries before adding the new ones, while `byIndex`
     * reads without that monitor: a lookup in between finds nothing. Holding the monitor sees the cache before or
     * after an update, never in the middle. Unlike an index kept by an event handler, this one is up to date
     * before any handler runs, so a listener woken by an event always reads that event's state.
     */
    static <T> List<T> byIndex(SharedIndexInformer<T> informer, String indexName, String value) {
        Indexer<T> indexer = informer.getIndexer();
        synchronized (indexer) {
            return indexer.byIndex(indexName, value);
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
