package io.slimjobs.kube;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.fabric8.kubernetes.api.model.Pod;
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
    private static final String BY_EXECUTION_ID = "byExecutionId";
    private static final String BY_CAP_GROUP = "byCapGroup";
    private static final String BY_DEPENDENCY = "byDependency";

    /** FIFO: the enqueue time, then the object name so that the order is total. */
    private static final Comparator<ExecutionView> QUEUE_ORDER =
            Comparator.comparing(ExecutionView::enqueuedAt).thenComparing(ExecutionView::name);
    private static final Predicate<Job> UNFINISHED = job -> !ExecutionStatus.isFinished(job);

    private final SharedIndexInformer<Job> informer;
    private final String namespace;
    private final PodIndex pods;
    /** The cap group rule the BY_CAP_GROUP index was built with; reads group by it too, under the index's monitor. */
    private volatile UnaryOperator<String> capGroupOf;
    private final DependencyIndex dependencies;
    /** Executions whose enqueue time could not be read, so that each is logged once. */
    private final Set<String> unreadableEnqueueTimes = ConcurrentHashMap.newKeySet();
    /** Completed once the first listing is in the cache. */
    private final CompletableFuture<Void> synced = new CompletableFuture<>();
    /** Executions a trigger waits to see cached, by id. */
    private final Map<String, CompletableFuture<Void>> awaited = new ConcurrentHashMap<>();
    /**
     * The view of each finished execution and its JSON, kept per version of its Job: it is read from the Job alone
     * (no pod, no dependency changes it), and with thousands of finished executions kept for their TTL, building
     * and writing their views was most of a listing's cost.
     */
    private final PerJobVersion<FinishedView> finishedViews;
    /**
     * What an unfinished execution's view reads from its Job alone, kept per version of the Job: every Job event asks
     * for a pass over its cap group, which views the group's whole queue, and parsing each queued Job's enqueue time
     * and labels again was most of a pass's cost. Only the status and the reason are read at each pass.
     */
    private final PerJobVersion<JobFacts> unfinishedFacts;

    /**
     * @param capGroupOf the group whose NumberParallelJob a job name counts against (its own name, or the group
     *                   shared by every name that falls back to `Default`): the queue that PositionInQueue numbers.
     *                   It must not change its answers: {@link #regroup} replaces it when the definitions change
     * @param dependencies what queued executions wait for, which their `Reason` says
     */
    public JobIndex(KubernetesClient client, String namespace, long resyncMillis, PodIndex pods,
                    UnaryOperator<String> capGroupOf, DependencyIndex dependencies) {
        this.namespace = namespace;
        this.pods = pods;
        this.capGroupOf = capGroupOf;
        this.dependencies = dependencies;
        informer = Informers.retrying(client.batch().v1().jobs().inNamespace(namespace)
                .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                .runnableInformer(resyncMillis)
                .itemStore(CachedFields.jobStore()));
        informer.addIndexers(Map.of(
                BY_EXECUTION_ID, job -> label(job, Labels.ID).map(List::of).orElse(List.of()),
                BY_CAP_GROUP, capGroupIndex(capGroupOf),
                BY_DEPENDENCY, JobIndex::dependsOn));
        finishedViews = new PerJobVersion<>(informer, namespace, job -> FinishedView.of(buildView(job, facts(job))));
        unfinishedFacts = new PerJobVersion<>(informer, namespace, this::facts);
        onChange(job -> {
            label(job, Labels.ID).map(awaited::get).ifPresent(seen -> seen.complete(null));
            if (ExecutionStatus.isFinished(job)) {
                unfinishedFacts.forget(job);
            }
        }, job -> {
            finishedViews.forget(job);
            unfinishedFacts.forget(job);
        });
    }

    private static Function<Job, List<String>> capGroupIndex(UnaryOperator<String> capGroupOf) {
        return job -> label(job, Labels.JOB).map(capGroupOf).map(List::of).orElse(List.of());
    }

    /**
     * Groups the executions by another cap group rule, when it differs from the one in use (a job name became
     * configured, or stopped being): every Job is indexed again under it, and reads see the old grouping or the new
     * one, never a mix.
     */
    public void regroup(UnaryOperator<String> rule) {
        if (!rule.equals(capGroupOf)) {
            Informers.reindex(informer, BY_CAP_GROUP, capGroupIndex(rule), () -> capGroupOf = rule);
        }
    }

    /** Whether the executions are grouped by this rule: a pass by another one would count the wrong Jobs. */
    public boolean groupedBy(UnaryOperator<String> rule) {
        return rule.equals(capGroupOf);
    }

    /**
     * Waits, at most the timeout, until the cache holds a Job this replica just created, so that a caller who
     * lists right after triggering sees its execution (read-your-writes, as SlimFaas' own queue gives).
     */
    public void awaitCached(String executionId, Duration timeout) {
        CompletableFuture<Void> seen = awaited.computeIfAbsent(executionId, id -> new CompletableFuture<>());
        try {
            // registered before this check, the future is completed by the event of a write the check misses
            if (Informers.byIndex(informer, BY_EXECUTION_ID, executionId).isEmpty()) {
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
        informer.addEventHandler(Informers.onChange(addedOrChanged, removed));
    }

    public void start() {
        // the informer's start completes once its first listing is cached and its watch runs
        informer.start().thenRun(() -> synced.complete(null));
    }

    /** Runs {@code action} once the cache has synced (at once if it has): what was asked of it before is due. */
    public void whenSynced(Runnable action) {
        synced.thenRun(action);
    }

    public boolean hasSynced() {
        return informer.hasSynced();
    }

    /** The cap groups that have executions. */
    public Set<String> capGroups() {
        Set<String> groups = new TreeSet<>();
        UnaryOperator<String> rule = capGroupOf;
        informer.getStore().list().forEach(job -> label(job, Labels.JOB).map(rule).ifPresent(groups::add));
        return groups;
    }

    /** The unfinished executions of each job name that has some, counted by status; read at each metrics scrape. */
    public Map<String, Map<ExecutionStatus, Integer>> unfinishedCounts() {
        Map<String, Map<ExecutionStatus, Integer>> counts = new TreeMap<>();
        for (Job job : informer.getStore().list()) {
            Optional<String> jobName = label(job, Labels.JOB);
            if (jobName.isPresent() && UNFINISHED.test(job)) {
                ExecutionStatus status = ExecutionStatus.of(job, pods.podsOf(label(job, Labels.ID).orElse("")));
                counts.computeIfAbsent(jobName.get(), name -> new EnumMap<>(ExecutionStatus.class))
                        .merge(status, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** The job names of the unfinished executions that depend on a Deployment or StatefulSet of that name. */
    public Set<String> jobNamesDependingOn(String dependency) {
        Set<String> names = new TreeSet<>();
        Informers.byIndex(informer, BY_DEPENDENCY, dependency).stream().filter(UNFINISHED)
                .forEach(job -> label(job, Labels.JOB).ifPresent(names::add));
        return names;
    }

    /**
     * A job's executions as SlimFaas lists them: those that left the queue, newest first, then the queued
     * ones in the order they will be released, numbered by their place in their cap group's queue.
     */
    public List<ExecutionView> executions(String jobName) {
        return executions(jobName, job -> true);
    }

    /** The same as the API answers it: each finished execution's JSON is written once per version of its Job. */
    public SerializedJson executionsJson(String jobName) {
        return SerializedJson.array(executions(jobName), this::json);
    }

    /**
     * The same, without finished executions. Finished Jobs kept for a long TTL are skipped before any view is
     * built, so this costs what is queued and running.
     */
    public List<ExecutionView> unfinishedExecutions(String jobName) {
        return executions(jobName, UNFINISHED);
    }

    /** What the dispatcher weighs: a cap group's unfinished executions, those that left the queue first. */
    public List<ExecutionView> capGroupExecutions(String capGroup) {
        return groupExecutions(() -> capGroup, jobName -> true, UNFINISHED);
    }

    private List<ExecutionView> executions(String jobName, Predicate<Job> filter) {
        return groupExecutions(() -> capGroupOf.apply(jobName), jobName::equals, filter);
    }

    /**
     * Some job names' executions within their cap group, built from one read of the group's Jobs: with two
     * reads, a Job released in between would be in neither the started nor the queued part, and the dispatcher
     * would count one slot too few.
     */
    private List<ExecutionView> groupExecutions(Supplier<String> capGroup, Predicate<String> ofJobName,
                                                Predicate<Job> filter) {
        List<ExecutionView> started = new ArrayList<>();
        List<ExecutionView> queue = new ArrayList<>();
        for (Job job : Informers.byIndex(informer, BY_CAP_GROUP, capGroup)) {
            if (UNFINISHED.test(job) && Boolean.TRUE.equals(job.getSpec().getSuspend())) {
                queue.add(view(job));
            } else if (ofJobName.test(label(job, Labels.JOB).orElse("")) && filter.test(job)) {
                started.add(view(job));
            }
        }
        started.sort(QUEUE_ORDER.reversed());
        queue.sort(QUEUE_ORDER);
        List<ExecutionView> result = new ArrayList<>(started);
        for (int i = 0; i < queue.size(); i++) {
            if (ofJobName.test(queue.get(i).jobName())) {
                result.add(queue.get(i).atPosition(i + 1));
            }
        }
        return result;
    }

    /**
     * One execution of a job, by the id its trigger returned. Read by object name from the store, which an update
     * replaces in one step: an index read could miss a Job while an update re-indexes it.
     */
    public Optional<ExecutionView> execution(String jobName, String executionId) {
        return cachedJob(jobName, executionId).map(this::view);
    }

    /** The same with how it ended; a queued one with its place in its cap group's queue, as the listing numbers it. */
    public Optional<ExecutionDetail> executionDetail(String jobName, String executionId) {
        return cachedJob(jobName, executionId).map(job -> {
            ExecutionView execution = view(job);
            if (execution.status() == ExecutionStatus.Queued) {
                execution = executions(jobName).stream().filter(listed -> listed.id().equals(executionId))
                        .findFirst().orElse(execution);
            }
            return ExecutionDetail.of(execution, job, pods.podsOf(executionId));
        });
    }

    private Optional<Job> cachedJob(String jobName, String executionId) {
        return job(Names.jobObjectName(jobName, executionId))
                .filter(found -> label(found, Labels.JOB).filter(jobName::equals).isPresent()
                        && label(found, Labels.ID).filter(executionId::equals).isPresent());
    }

    /**
     * Tells {@code finished} of every finished execution added or changed, as it is now, and {@code removed} the Id
     * of every execution removed.
     */
    public void onFinished(Consumer<FinishedExecution> finished, Consumer<String> removed) {
        onChange(job -> finishedExecution(job).ifPresent(finished), job -> label(job, Labels.ID).ifPresent(removed));
    }

    /**
     * Tells {@code ended} of an execution once, when its Job turns Complete or Failed: not of Jobs already finished
     * when first cached (a restart, a new replica), nor of later changes to a finished Job.
     */
    public void onEnded(Consumer<ExecutionDetail> ended) {
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Job job) {
            }

            @Override
            public void onUpdate(Job before, Job after) {
                if (!ExecutionStatus.isFinished(before) && ExecutionStatus.isFinished(after)) {
                    ExecutionView execution = view(after);
                    ended.accept(ExecutionDetail.of(execution, after, pods.podsOf(execution.id())));
                }
            }

            @Override
            public void onDelete(Job job, boolean finalStateUnknown) {
            }
        });
    }

    /** Every finished execution in the cache. */
    public List<FinishedExecution> finishedExecutions() {
        return informer.getStore().list().stream().map(JobIndex::finishedExecution).flatMap(Optional::stream).toList();
    }

    private static Optional<FinishedExecution> finishedExecution(Job job) {
        Optional<String> jobName = label(job, Labels.JOB);
        Optional<String> id = label(job, Labels.ID);
        if (jobName.isEmpty() || id.isEmpty() || !ExecutionStatus.isFinished(job)) {
            return Optional.empty();
        }
        return Optional.of(new FinishedExecution(jobName.get(), id.get(), job.getMetadata().getName(),
                annotation(job, Labels.CALLBACK_URL), annotation(job, Labels.CALLBACK),
                "true".equals(annotation(job, Labels.EVENT_PUBLISHED))));
    }

    /** A Job by its object name, as cached. */
    public Optional<Job> job(String objectName) {
        return Optional.ofNullable(informer.getStore().getByKey(Cache.namespaceKeyFunc(namespace, objectName)));
    }

    private ExecutionView view(Job job) {
        return ExecutionStatus.isFinished(job) ? finishedViews.of(job).view() : buildView(job, unfinishedFacts.of(job));
    }

    /** An execution's JSON: kept with the view of a finished one, written anew for the others. */
    private byte[] json(ExecutionView view) {
        FinishedView known = finishedViews.known(view.name());
        return known != null && known.view() == view ? known.json() : SerializedJson.write(view);
    }

    private record FinishedView(ExecutionView view, byte[] json) {

        static FinishedView of(ExecutionView view) {
            return new FinishedView(view, SerializedJson.write(view));
        }
    }

    /** What a view reads from its Job alone, whatever the Job's status and pods. */
    private record JobFacts(String id, String jobName, Instant enqueuedAt, List<String> dependsOn) {
    }

    private JobFacts facts(Job job) {
        String id = label(job, Labels.ID).orElse("");
        return new JobFacts(id, label(job, Labels.JOB).orElse(""), enqueuedAt(job, id), dependsOn(job));
    }

    private ExecutionView buildView(Job job, JobFacts facts) {
        // a suspended Job's status is read from the Job alone (see ExecutionStatus.of): its pods are not looked up
        List<Pod> podsOfJob = Boolean.TRUE.equals(job.getSpec().getSuspend()) ? List.of() : pods.podsOf(facts.id());
        ExecutionStatus status = ExecutionStatus.of(job, podsOfJob);
        String startTime = job.getStatus() == null ? null : job.getStatus().getStartTime();
        String failureReason = annotation(job, Labels.FAILURE_REASON);
        String reason = failureReason != null ? failureReason
                : status == ExecutionStatus.Failed ? ExecutionStatus.failureMessage(job)
                : status == ExecutionStatus.Queued ? dependencies.waitReason(facts.dependsOn()).orElse(null) : null;
        ImagePullStall stall = status == ExecutionStatus.ImagePullBackOff && failureReason == null
                ? ImagePullStall.of(podsOfJob).orElse(null) : null;
        return new ExecutionView(job.getMetadata().getName(), status, facts.id(), -1,
                facts.enqueuedAt().toEpochMilli(),
                status == ExecutionStatus.Queued || startTime == null ? -1 : parse(startTime).toEpochMilli(),
                reason, facts.enqueuedAt(), stall, facts.dependsOn(), facts.jobName());
    }

    /**
     * The annotation JobFactory writes; Jobs made before it existed fall back to their creation time, and so do
     * Jobs whose annotation was edited into something unreadable (said once per execution, since such a Job
     * would otherwise silently take another place in the queue).
     */
    private Instant enqueuedAt(Job job, String id) {
        Instant created = parse(job.getMetadata().getCreationTimestamp());
        String value = annotation(job, Labels.ENQUEUED_AT);
        if (value == null) {
            return created;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            if (unreadableEnqueueTimes.add(id)) {
                LOG.warn("Job {} (execution {}) has an unreadable {} annotation '{}'; it is queued by its creation "
                        + "time {} instead", job.getMetadata().getName(), id, Labels.ENQUEUED_AT, value, created);
            }
            return created;
        }
    }

    /** A time the API server wrote (RFC 3339); the epoch if absent, which only hand-made objects lack. */
    static Instant parse(String timestamp) {
        try {
            return timestamp == null ? Instant.EPOCH : Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private static String annotation(Job job, String key) {
        Map<String, String> annotations = job.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    /** The names in the Job's {@link Labels#DEPENDS_ON} annotation: its effective DependsOn. */
    private static List<String> dependsOn(Job job) {
        String value = annotation(job, Labels.DEPENDS_ON);
        return value == null ? List.of()
                : Arrays.stream(value.split(",")).map(String::trim).filter(name -> !name.isEmpty()).distinct().toList();
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
