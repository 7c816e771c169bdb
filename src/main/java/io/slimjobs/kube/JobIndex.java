package io.slimjobs.kube;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executions SlimJobs made, read from an informer cache of its Jobs: every listing, count and queue
 * position is served from here, never from a list call.
 */
public final class JobIndex implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobIndex.class);
    private static final String BY_JOB_NAME = "byJobName";
    private static final String BY_EXECUTION_ID = "byExecutionId";

    /** FIFO: the enqueue time, then the object name so that the order is total. */
    private static final Comparator<ExecutionView> QUEUE_ORDER =
            Comparator.comparing(ExecutionView::enqueuedAt).thenComparing(ExecutionView::name);

    private final SharedIndexInformer<Job> informer;
    private final String namespace;
    private final PodIndex pods;
    /** Executions a trigger waits to see cached, by id. */
    private final Map<String, CompletableFuture<Void>> awaited = new ConcurrentHashMap<>();

    public JobIndex(KubernetesClient client, String namespace, long resyncMillis, PodIndex pods) {
        this.namespace = namespace;
        this.pods = pods;
        informer = client.batch().v1().jobs().inNamespace(namespace)
                .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                .runnableInformer(resyncMillis);
        informer.addIndexers(Map.of(
                BY_JOB_NAME, job -> label(job, Labels.JOB).map(List::of).orElse(List.of()),
                BY_EXECUTION_ID, job -> label(job, Labels.ID).map(List::of).orElse(List.of())));
        onChange(job -> label(job, Labels.ID).map(awaited::get).ifPresent(seen -> seen.complete(null)), job -> { });
    }

    /**
     * Waits, at most the timeout, until the cache holds a Job this replica just created, so that a caller who
     * lists right after triggering sees its execution (read-your-writes, as SlimFaas' own queue gives).
     */
    public void awaitCached(String executionId, Duration timeout) {
        CompletableFuture<Void> seen = awaited.computeIfAbsent(executionId, id -> new CompletableFuture<>());
        try {
            // registered before this check, the future is completed by the event of any write the check misses
            if (informer.getIndexer().byIndex(BY_EXECUTION_ID, executionId).isEmpty()) {
                seen.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (TimeoutException | ExecutionException e) {
            LOG.debug("Execution {} not yet cached after {}", executionId, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            awaited.remove(executionId);
        }
    }

    /** Tells the listener the job name of every Job added, changed or removed. */
    public void onChange(Consumer<String> listener) {
        Consumer<Job> byJobName = job -> label(job, Labels.JOB).ifPresent(listener);
        onChange(byJobName, byJobName);
    }

    private void onChange(Consumer<Job> addedOrChanged, Consumer<Job> removed) {
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Job job) {
                addedOrChanged.accept(job);
            }

            @Override
            public void onUpdate(Job before, Job after) {
                addedOrChanged.accept(after);
            }

            @Override
            public void onDelete(Job job, boolean finalStateUnknown) {
                removed.accept(job);
            }
        });
    }

    public void start() {
        informer.start();
    }

    public boolean hasSynced() {
        return informer.hasSynced();
    }

    /** The job names that have executions. */
    public Set<String> jobNames() {
        Set<String> names = new TreeSet<>();
        informer.getStore().list().forEach(job -> label(job, Labels.JOB).ifPresent(names::add));
        return names;
    }

    /**
     * A job's executions as SlimFaas lists them: those that left the queue, newest first, then the queued
     * ones in the order they will be released, numbered from 1.
     */
    public List<ExecutionView> executions(String jobName) {
        return executions(jobName, job -> true);
    }

    /**
     * The same, without finished executions: what the dispatcher weighs. Finished Jobs kept for a long TTL
     * are skipped before any view is built, so a pass costs what is queued and running.
     */
    public List<ExecutionView> unfinishedExecutions(String jobName) {
        return executions(jobName, job -> !ExecutionStatus.isFinished(job));
    }

    private List<ExecutionView> executions(String jobName, Predicate<Job> filter) {
        List<ExecutionView> started = new ArrayList<>();
        List<ExecutionView> queued = new ArrayList<>();
        for (Job job : informer.getIndexer().byIndex(BY_JOB_NAME, jobName)) {
            if (filter.test(job)) {
                ExecutionView view = view(job);
                (view.status() == ExecutionStatus.Queued ? queued : started).add(view);
            }
        }
        started.sort(QUEUE_ORDER.reversed());
        queued.sort(QUEUE_ORDER);
        List<ExecutionView> result = new ArrayList<>(started);
        for (int i = 0; i < queued.size(); i++) {
            result.add(queued.get(i).atPosition(i + 1));
        }
        return result;
    }

    /**
     * One execution of a job, by the id its trigger returned. Read by object name from the store, which an update
     * replaces in one step: an index read could miss a Job while an update re-indexes it.
     */
    public Optional<ExecutionView> execution(String jobName, String executionId) {
        String key = Cache.namespaceKeyFunc(namespace, Names.jobObjectName(jobName, executionId));
        return Optional.ofNullable(informer.getStore().getByKey(key))
                .filter(found -> label(found, Labels.JOB).filter(jobName::equals).isPresent()
                        && label(found, Labels.ID).filter(executionId::equals).isPresent())
                .map(this::view);
    }

    private ExecutionView view(Job job) {
        String id = label(job, Labels.ID).orElse("");
        ExecutionStatus status = ExecutionStatus.of(job, pods.podsOf(id));
        Instant enqueuedAt = enqueuedAt(job);
        String startTime = job.getStatus() == null ? null : job.getStatus().getStartTime();
        return new ExecutionView(job.getMetadata().getName(), status, id, -1, enqueuedAt.toEpochMilli(),
                status == ExecutionStatus.Queued || startTime == null ? -1 : parse(startTime).toEpochMilli(),
                enqueuedAt);
    }

    /** Jobs made before the annotation existed, or edited by hand, fall back to their creation time. */
    private static Instant enqueuedAt(Job job) {
        Map<String, String> annotations = job.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(Labels.ENQUEUED_AT);
        if (value == null) {
            value = job.getMetadata().getCreationTimestamp();
        }
        return value == null ? Instant.EPOCH : parse(value);
    }

    private static Instant parse(String timestamp) {
        try {
            return Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private static Optional<String> label(Job job, String key) {
        Map<String, String> labels = job.getMetadata().getLabels();
        return Optional.ofNullable(labels == null ? null : labels.get(key));
    }

    @Override
    public void close() {
        informer.close();
    }
}
