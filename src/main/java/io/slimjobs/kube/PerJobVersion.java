package io.slimjobs.kube;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.Indexer;

/**
 * What is read from a cached Job alone, kept by object name with the very Job it was read from: it is read again
 * only when the cache holds another version of the Job. The informer's store replaces a Job's object at each
 * update, so the object itself is the version.
 */
final class PerJobVersion<V> {

    private final SharedIndexInformer<Job> informer;
    private final String namespace;
    private final Function<Job, V> read;
    private final Map<String, Known<V>> known = new ConcurrentHashMap<>();

    PerJobVersion(SharedIndexInformer<Job> informer, String namespace, Function<Job, V> read) {
        this.informer = informer;
        this.namespace = namespace;
        this.read = read;
    }

    V of(Job job) {
        String objectName = job.getMetadata().getName();
        Known<V> entry = known.get(objectName);
        if (entry != null && entry.job() == job) {
            return entry.value();
        }
        V value = read.apply(job);
        // kept only while the cache holds this very Job, checked under the monitor its removal takes: a value kept
        // after the removal's handler forgot the name would stay for good
        Indexer<Job> indexer = informer.getIndexer();
        synchronized (indexer) {
            if (indexer.getByKey(Cache.namespaceKeyFunc(namespace, objectName)) == job) {
                known.put(objectName, new Known<>(job, value));
            }
        }
        return value;
    }

    /** What was read last for that object name, from whichever version of its Job; null for nothing. */
    V known(String objectName) {
        Known<V> entry = known.get(objectName);
        return entry == null ? null : entry.value();
    }

    void forget(Job job) {
        known.remove(job.getMetadata().getName());
    }

    private record Known<V>(Job job, V value) {
    }
}
