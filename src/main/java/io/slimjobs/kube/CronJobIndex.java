package io.slimjobs.kube;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CronJobs of the namespace, read from an informer cache: the ones annotated `SlimFaas/Job` define jobs. Which
 * ones carry the annotation cannot be asked of the API server, so every CronJob of the namespace is cached.
 */
public final class CronJobIndex implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CronJobIndex.class);

    private final SharedIndexInformer<CronJob> informer;
    private final String namespace;
    private final List<Consumer<List<CronJob>>> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> read = new CompletableFuture<>();
    /** Why the CronJobs cannot be read, until they can: for the log (once) and `/ready`. */
    private volatile String readProblem;

    public CronJobIndex(KubernetesClient client, String namespace, long resyncMillis) {
        this.namespace = namespace;
        informer = client.batch().v1().cronjobs().inNamespace(namespace).runnableInformer(resyncMillis);
        // by default an informer whose first listing fails stops for good; a Role fixed later must be enough
        informer.exceptionHandler((started, failure) -> {
            failed(failure);
            return true;
        });
        informer.addEventHandler(Informers.onChange(cronJob -> changed(), cronJob -> changed()));
    }

    /**
     * Tells the listener every CronJob of the namespace, after each change and once the first listing is read. The
     * objects are the cache's own: read them, never change them.
     */
    public void onChange(Consumer<List<CronJob>> listener) {
        listeners.add(listener);
    }

    /** Starts the informer; completes once the listeners have been told the CronJobs of the first listing. */
    public CompletableFuture<Void> start() {
        informer.start().thenRun(() -> {
            if (readProblem != null) {
                readProblem = null;
                LOG.info("The CronJobs of namespace {} can be read now", namespace);
            }
            changed();
            read.complete(null);
        });
        return read;
    }

    /** Whether the listeners have been told the CronJobs as they are in the cluster. */
    public boolean hasSynced() {
        return read.isDone();
    }

    /** Completes once the listeners have been told the CronJobs of the first listing. */
    public CompletableFuture<Void> synced() {
        return read;
    }

    /** Why the CronJobs cannot be read yet, if they cannot. */
    public Optional<String> readProblem() {
        return read.isDone() ? Optional.empty() : Optional.ofNullable(readProblem);
    }

    /** The store is read and told under one lock, so that a later state is never overtaken by an earlier one. */
    private synchronized void changed() {
        if (!informer.hasSynced()) {
            return;
        }
        List<CronJob> all = informer.getStore().list();
        listeners.forEach(listener -> listener.accept(all));
    }

    private void failed(Throwable failure) {
        if (read.isDone() || readProblem != null) {
            return;
        }
        KubernetesClientException refusal = null;
        for (Throwable cause = failure; cause != null && refusal == null; cause = cause.getCause()) {
            refusal = cause instanceof KubernetesClientException e ? e : null;
        }
        readProblem = refusal != null && refusal.getCode() == 403
                ? "SlimJobs may not list and watch the CronJobs of namespace " + namespace + ": its Role needs the verbs "
                        + "list and watch on cronjobs (apiGroup batch)"
                : "the CronJobs of namespace " + namespace + " cannot be read: "
                        + KubernetesErrors.translate(refusal != null ? refusal
                                : new KubernetesClientException(failure.getMessage(), failure)).getMessage();
        LOG.error("{}. Job definitions from CronJobs are not known until then, so SlimJobs is not ready and releases "
                + "no queued execution; it keeps trying", readProblem);
    }

    @Override
    public void close() {
        informer.close();
    }
}
