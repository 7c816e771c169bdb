package io.slimjobs.queue;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.slimjobs.Json;
import io.slimjobs.config.JobsConfiguration;
import io.slimjobs.kube.Dependency;
import io.slimjobs.kube.DependencyIndex;
import io.slimjobs.kube.ExecutionStatus;
import io.slimjobs.kube.ExecutionView;
import io.slimjobs.kube.ImagePullStall;
import io.slimjobs.kube.JobIndex;
import io.slimjobs.kube.Labels;
import io.slimjobs.kube.Named;
import io.slimjobs.observe.ExecutionDecision;
import io.slimjobs.observe.ExecutionDecisions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits queued executions: per cap group (see {@link CapGroups}), releases the oldest suspended Jobs whose
 * dependencies are ready while fewer than `NumberParallelJob` executions are pending, running or waiting for their
 * image, wakes and puts back to sleep the dependencies they need (see {@link DependencyScaler}), and fails those
 * whose image could not be pulled within the image-pull timeout. Job, pod and dependency events, its own timed
 * re-checks, a periodic resync and a new leader's takeover ask for passes over cap groups; the routes in
 * {@link DispatcherRoutes} carry those requests to one consumer, on the leader only, and carry each release
 * through a rate limit. Each pass reads state from the informer caches only, so it is level-triggered and safe to
 * run twice.
 */
public final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final String RELEASE_PATCH = "{\"spec\":{\"suspend\":false}}";

    private final KubernetesClient client;
    private final String namespace;
    private final JobIndex jobs;
    private final CapGroups capGroups;
    private final Clock clock;
    private final Duration imagePullTimeout;
    private final DependencyIndex dependencies;
    private final DependencyScaler scaler;
    private final ExecutionDecisions decisions;
    private final WaitLog waitLog;
    /** Cap groups whose pass is asked for and not yet begun: a burst of events costs one pass. */
    private final Set<String> pendingGroups = ConcurrentHashMap.newKeySet();
    /**
     * Executions released but not yet seen unsuspended in the cache, by cap group: counted as active so that
     * the next pass cannot hand out the same slot twice.
     */
    private final Map<String, Set<String>> assumed = new ConcurrentHashMap<>();
    /** The timed re-check each cap group has scheduled: when it is due. No event marks an image-pull timeout. */
    private final Map<String, Instant> recheckAt = new ConcurrentHashMap<>();
    private volatile Consumer<String> passRequests;
    private Predicate<ExecutionView> releases;
    private ScheduledExecutorService timer;
    private volatile Throwable stoppedBy;

    public Dispatcher(KubernetesClient client, String namespace, JobIndex jobs, CapGroups capGroups, Clock clock,
                      Duration imagePullTimeout, DependencyIndex dependencies, ExecutionDecisions decisions) {
        this.client = client;
        this.dependencies = dependencies;
        this.scaler = new DependencyScaler(client, namespace, dependencies, jobs);
        this.namespace = namespace;
        this.jobs = jobs;
        this.capGroups = capGroups;
        this.clock = clock;
        this.imagePullTimeout = imagePullTimeout;
        this.decisions = decisions;
        this.waitLog = new WaitLog(decisions, clock);
    }

    /** Asks for a pass over the cap group of a job name; a group already waiting for its pass is not queued twice. */
    public void enqueue(String jobName) {
        enqueueGroup(capGroups.of(jobName));
    }

    private void enqueueGroup(String capGroup) {
        Consumer<String> requests = passRequests;
        // before start, a request waits among the pending groups: start sends them
        if (pendingGroups.add(capGroup) && requests != null) {
            requests.accept(capGroup);
        }
    }

    /**
     * A Deployment or StatefulSet changed: a pass over the cap groups with executions that depend on it, so that
     * they start as soon as it is ready; and, for one SlimJobs woke, a pass that may put it back to sleep even when
     * no execution is left (every pass weighs every woken dependency).
     */
    public void dependencyChanged(String dependency) {
        jobs.jobNamesDependingOn(dependency).forEach(this::enqueue);
        if (dependencies.find(dependency).flatMap(Dependency::wakeMark).isPresent()) {
            enqueueGroup(JobsConfiguration.DEFAULT);
        }
    }

    /**
     * The safety net: a pass over every cap group, whatever events were missed, and one for the dependencies
     * SlimJobs woke even when no Job is left to name a group (a restart after their executions' TTL).
     */
    public void resyncAll() {
        jobs.capGroups().forEach(this::enqueueGroup);
        if (!dependencies.woken().isEmpty()) {
            enqueueGroup(JobsConfiguration.DEFAULT);
        }
    }

    /**
     * The definitions changed: the Jobs are grouped by the new cap groups (a name that became configured gets its own
     * NumberParallelJob, one that is no longer configured counts against Default's), then every group gets a pass, so
     * that a raised NumberParallelJob releases at once. A lowered one holds back the next releases; nothing running is
     * stopped.
     */
    public void definitionsChanged() {
        jobs.regroup(capGroups.inForce());
        resyncAll();
    }

    /**
     * A new leader's first step: what is active comes from the cluster, never from an earlier leadership's memory
     * (its releases in flight, its requests for passes that a stopped consumer may have dropped).
     */
    public void takeOver() {
        assumed.clear();
        pendingGroups.clear();
        resyncAll();
    }

    /**
     * Wires the plumbing: {@code passRequests} carries a cap group to {@link #pass}, {@code releases} carries a
     * release decided to {@link #releaseNow} (answering whether it went out), and {@code timer} fires the re-checks
     * that no event would trigger.
     */
    public void start(Consumer<String> passRequests, Predicate<ExecutionView> releases,
                      ScheduledExecutorService timer) {
        this.releases = releases;
        this.timer = timer;
        this.passRequests = passRequests;
        // events may come before the routes are wired (an informer started early): their passes go now
        pendingGroups.forEach(passRequests);
        // a pass asked for before the Job cache synced found nothing to count and was dropped (a new leader's
        // takeover can be one): once it has synced, every cap group gets its pass
        jobs.whenSynced(this::resyncAll);
    }

    /**
     * A shutdown: the routes that carry passes are stopping, so events from now on ask for none (they would meet a
     * stopped consumer); a pass already running ends as usual.
     */
    public void stop() {
        passRequests = null;
    }

    /** What ended dispatching, if anything but a shutdown did: nothing is released any more. */
    public Optional<Throwable> stoppedBy() {
        return Optional.ofNullable(stoppedBy);
    }

    /** A request for a pass leaves the queue: the next event about its cap group asks again. */
    public void dequeued(String capGroup) {
        pendingGroups.remove(capGroup);
    }

    /** One pass over a cap group; passes run one at a time, on the leader only. */
    public void pass(String capGroup) {
        if (stoppedBy != null) {
            return;
        }
        try {
            reconcile(capGroup);
        } catch (RuntimeException e) {
            LOG.error("Dispatch of {} failed; the next event or resync retries it", capGroup, e);
        } catch (Error e) {
            // An Error leaves nobody to release executions: readiness and liveness report it from here.
            stoppedBy = e;
            LOG.error("The dispatcher stopped; no queued execution is released until SlimJobs restarts", e);
        }
    }

    void reconcile(String capGroup) {
        if (!jobs.hasSynced()) {
            return;
        }
        Instant now = clock.instant();
        if (!jobs.groupedBy(capGroups.inForce())) {
            // the definitions just changed and the Jobs are being grouped again: counted by the old grouping against
            // the new caps, a group could be given a slot that is not free; every group gets a pass once regrouped
            return;
        }
        List<ExecutionView> executions = jobs.capGroupExecutions(capGroup);
        Set<String> released = assumed.computeIfAbsent(capGroup, group -> ConcurrentHashMap.newKeySet());
        released.retainAll(executions.stream()
                .filter(e -> e.status() == ExecutionStatus.Queued).map(ExecutionView::id).toList());

        scaler.wakeFor(executions);
        // a queued execution listed with a Reason waits for a dependency; it keeps its place while later ones
        // whose dependencies are ready go ahead (no head-of-line blocking)
        waitLog.note(capGroup, executions.stream()
                .filter(e -> e.status() == ExecutionStatus.Queued && e.reason() != null).toList());
        long active = executions.stream().filter(e -> e.status().holdsSlot()).count() + released.size();
        int free = capGroups.capacity(capGroup) - (int) active;
        for (ExecutionView execution : executions) {
            if (execution.imagePullStall() != null) {
                failIfImagePullTimedOut(capGroup, execution, now);
            } else if (execution.status() == ExecutionStatus.Queued && execution.reason() == null
                    && !released.contains(execution.id()) && free > 0) {
                released.add(execution.id());
                if (release(execution)) {
                    free--;
                } else {
                    released.remove(execution.id());
                }
            }
        }
        if (released.isEmpty()) {
            assumed.remove(capGroup);
        }
        scaler.sleepIdle(now).ifPresent(due -> recheck(capGroup, due, now));
    }

    /** Package-private for tests: the cap groups with releases the cache has not shown yet. */
    Set<String> groupsWithReleasesInFlight() {
        return assumed.keySet();
    }

    /** Hands a release decided to the rate-limited release route: true when it went out. */
    private boolean release(ExecutionView execution) {
        try {
            return releases.test(execution);
        } catch (RuntimeException e) {
            LOG.error("Execution {} ({}) could not be released; the next resync retries it", execution.id(),
                    execution.name(), e);
            return false;
        }
    }

    /** Unsuspends the Job; the release route calls it once the rate limit lets it through, on the leader only. */
    public boolean releaseNow(ExecutionView execution) {
        try {
            client.batch().v1().jobs().inNamespace(namespace).resource(Named.object(Job.class, execution.name()))
                    .patch(PatchContext.of(PatchType.JSON_MERGE), RELEASE_PATCH);
            decisions.decided(ExecutionDecision.released(execution, clock.instant()));
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                LOG.debug("Execution {} ({}) was deleted before its release", execution.id(), execution.name());
            } else {
                LOG.error("Execution {} ({}) could not be released; the next resync retries it", execution.id(),
                        execution.name(), e);
            }
            return false;
        }
    }

    /**
     * An execution keeps its slot while its image cannot be pulled, up to the timeout counted from its pod's
     * creation; then Kubernetes is asked to fail it (an active deadline already passed), which stops the pod and
     * marks the Job Failed. The slot stays held until the Job shows Failed, so the cap is never exceeded.
     */
    private void failIfImagePullTimedOut(String capGroup, ExecutionView execution, Instant now) {
        ImagePullStall stall = execution.imagePullStall();
        Instant deadline = (stall.podCreated() == null ? now : stall.podCreated()).plus(imagePullTimeout);
        if (now.isBefore(deadline)) {
            recheck(capGroup, deadline, now);
            return;
        }
        String reason = "The image " + stall.image() + " could not be pulled within " + describe(imagePullTimeout)
                + " of the pod's creation (" + stall.reason() + "), so the execution was stopped.";
        try {
            client.batch().v1().jobs().inNamespace(namespace).resource(Named.object(Job.class, execution.name()))
                    .patch(PatchContext.of(PatchType.JSON_MERGE), failurePatch(reason));
            LOG.warn("Execution {} ({}) fails: {}", execution.id(), execution.name(), reason);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                LOG.error("Execution {} could not be failed; the next resync retries it", execution.id(), e);
            }
        }
    }

    private static String failurePatch(String reason) {
        try {
            return Json.MAPPER.writeValueAsString(Map.of(
                    "metadata", Map.of("annotations", Map.of(Labels.FAILURE_REASON, reason)),
                    "spec", Map.of("activeDeadlineSeconds", 1)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Schedules a pass at {@code due}, unless one at or before it is already scheduled. */
    private void recheck(String capGroup, Instant due, Instant now) {
        Instant scheduled = recheckAt.get(capGroup);
        if (scheduled != null && !scheduled.isAfter(due)) {
            return;
        }
        recheckAt.put(capGroup, due);
        timer.schedule(() -> {
            recheckAt.remove(capGroup, due);
            enqueueGroup(capGroup);
        }, Duration.between(now, due).toMillis() + 1, TimeUnit.MILLISECONDS);
    }

    /** "5 min", "90 s", "1.5 s": the timeout as a person reads it. */
    private static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 60_000 == 0 ? millis / 60_000 + " min"
                : BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + " s";
    }
}
