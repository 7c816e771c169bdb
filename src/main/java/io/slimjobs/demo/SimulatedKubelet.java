package io.slimjobs.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.slimjobs.kube.Labels;

/**
 * Plays the Kubernetes Job controller, kubelet, TTL controller and garbage collector for one namespace of an API
 * server where nothing changes status by itself (fabric8's CRUD mock): suspended Jobs get their {@code Suspended}
 * condition, released Jobs get a pod that goes Pending → Running → Succeeded/Failed, failed pods are retried up to
 * {@code backoffLimit}, a Job active longer than {@code activeDeadlineSeconds} fails, finished Jobs expire after
 * {@code ttlSecondsAfterFinished}, deleted Jobs lose their pods. A pod whose image is refused (see
 * {@link #refusePull}) waits ContainerCreating → ErrImagePull → ImagePullBackOff, as a kubelet reports it, without
 * any change to its Job, until the pull is allowed again. It also plays the Deployment and StatefulSet controllers:
 * their ready replicas follow {@code spec.replicas} after a short start delay, unless a test holds them unready
 * ({@link #holdUnready}), as pods failing their readiness probe would.
 *
 * <p>Level-triggered like a real controller: informer events only name a job; the work, on one thread, re-reads the
 * Job and its pods from the API and derives everything from them, so duplicate or lost events are harmless. Reads go
 * to the API rather than the informer cache because the cache can lag the pod this thread just created, which would
 * create a second one (the real controller solves that with "expectations").
 */
public final class SimulatedKubelet implements AutoCloseable {

    public static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
    private static final String LEGACY_JOB_NAME_LABEL = "job-name";
    private static final String CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";
    private static final String LEGACY_CONTROLLER_UID_LABEL = "controller-uid";

    /** The Job controller's default when {@code spec.backoffLimit} is absent. */
    private static final int DEFAULT_BACKOFF_LIMIT = 6;
    /** How long "pulling the image and starting the container" takes. */
    private static final Duration CONTAINER_START = Duration.ofMillis(50);
    /** How long a pull that fails takes: the registry has to be asked before the kubelet reports ErrImagePull. */
    private static final Duration FAILED_PULL = Duration.ofMillis(500);
    private static final Set<String> PULL_ERRORS = Set.of("ErrImagePull", "ImagePullBackOff");
    private static final long CALL_TIMEOUT_SECONDS = 10;
    private static final int MAX_CONFLICT_RETRIES = 10;
    private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
    /** Pod IPs stay unique across kubelets of one JVM, so IP-based caller trust never sees two pods share one. */
    private static final AtomicInteger IP_SEQUENCE = new AtomicInteger();
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedKubelet.class);

    private final KubernetesClient client;
    private final String namespace;
    private final Duration runDuration;
    private final ScheduledExecutorService executor;
    /** Jobs with a reconcile queued: coalesces bursts of events into one pass. */
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    /** Uids of finished Jobs whose TTL deletion is already scheduled. */
    private final Set<String> expiring = ConcurrentHashMap.newKeySet();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    /** Names of Deployments and StatefulSets whose pods fail their readiness probe. */
    private final Set<String> unready = ConcurrentHashMap.newKeySet();
    /** Deployments and StatefulSets whose new replicas are starting. */
    private final Set<Workload> startingWorkloads = ConcurrentHashMap.newKeySet();
    /** Images the registry refuses to serve for now. */
    private final Set<String> refusedImages = ConcurrentHashMap.newKeySet();

    /**
     * @param runDuration how long each pod runs before it succeeds by itself; {@code null} keeps pods Running until
     *                    {@link #succeed} or {@link #fail} is called (tests)
     */
    public SimulatedKubelet(KubernetesClient client, String namespace, Duration runDuration) {
        this.client = client;
        this.namespace = namespace;
        this.runDuration = runDuration;
        this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "simulated-kubelet");
            thread.setDaemon(true);
            return thread;
        });
    }

    public synchronized SimulatedKubelet start() {
        if (informers.isEmpty()) {
            informers.add(client.batch().v1().jobs().inNamespace(namespace)
                    .withLabelSelector(Labels.MANAGED_SELECTOR)
                    .inform(handler(job -> job.getMetadata().getName()), 0));
            informers.add(client.apps().deployments().inNamespace(namespace)
                    .inform(workloadHandler(Kind.DEPLOYMENT), 0));
            informers.add(client.apps().statefulSets().inNamespace(namespace)
                    .inform(workloadHandler(Kind.STATEFUL_SET), 0));
            informers.add(client.pods().inNamespace(namespace)
                    .withLabel(JOB_NAME_LABEL)
                    .inform(handler(pod -> pod.getMetadata().getLabels().get(JOB_NAME_LABEL)), 0));
        }
        return this;
    }

    @Override
    public synchronized void close() {
        // Pending work (container starts, TTL deletions) is dropped: it belongs to the cluster being shut down.
        executor.shutdownNow();
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
        try {
            // Lets an interrupted API call unwind before the caller closes the client under it.
            executor.awaitTermination(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Ends the job's live pod with exit code 0; the Job then completes. Throws if the job has no live pod (a released
     * Job has one).
     */
    public void succeed(String jobName) {
        call(() -> terminate(jobName, 0));
    }

    /** Ends the job's live pod with exit code 1; the Job retries or, past its backoff limit, fails. */
    public void fail(String jobName) {
        fail(jobName, 1);
    }

    /** Ends the job's live pod with that (non-zero) exit code, as a container's process exiting with it. */
    public void fail(String jobName, int exitCode) {
        call(() -> terminate(jobName, exitCode));
    }

    /**
     * From now on pulls of this image fail, as when a registry refuses it (missing tag, rate limit, registry down):
     * pods not yet running go ErrImagePull, then ImagePullBackOff, and wait.
     */
    public void refusePull(String image) {
        refusedImages.add(image);
    }

    /** The registry serves the image again: pods waiting for it start at their next pull, as a kubelet retries. */
    public void allowPull(String image) {
        call(() -> {
            refusedImages.remove(image);
            client.pods().inNamespace(namespace).withLabel(JOB_NAME_LABEL).list().getItems().stream()
                    // a running pod has no waiting reason, and Set.of(...).contains(null) throws
                    .filter(pod -> isLive(pod) && waitingReason(pod) != null
                            && PULL_ERRORS.contains(waitingReason(pod)))
                    .forEach(pod -> advance(pod.getMetadata().getLabels().get(JOB_NAME_LABEL),
                            pod.getMetadata().getName()));
            return null;
        });
    }

    /** The job's pod that is neither finished nor being deleted, read from the API. */
    public Optional<Pod> livePod(String jobName) {
        return podsOf(jobName).stream().filter(SimulatedKubelet::isLive).findFirst();
    }

    // ---- event intake: handlers only queue work, they never call the API

    private <T extends HasMetadata> ResourceEventHandler<T> handler(Function<T, String> jobName) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                enqueue(jobName.apply(obj));
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                enqueue(jobName.apply(newObj));
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                enqueue(jobName.apply(obj));
            }
        };
    }

    private void enqueue(String jobName) {
        if (jobName != null && queued.add(jobName)) {
            submit(() -> {
                queued.remove(jobName);
                reconcile(jobName);
            }, Duration.ZERO);
        }
    }

    private void submit(Runnable work, Duration delay) {
        try {
            executor.schedule(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    // A failed pass must not kill the thread; the next event repairs the state. Work cut off by
                    // close() fails by design and is not worth a warning.
                    if (!executor.isShutdown()) {
                        LOG.warn("simulated kubelet step failed in namespace {}", namespace, e);
                    }
                }
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // closed: nothing left to simulate
        }
    }

    /** Runs test-driven work on the kubelet thread, so it never races a reconcile, and waits for it. */
    private <T> T call(Supplier<T> work) {
        try {
            return executor.submit(work::get).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("simulated kubelet did not answer in " + CALL_TIMEOUT_SECONDS + " s", e);
        }
    }

    // ---- the Job controller

    private void reconcile(String jobName) {
        retryOnConflict(() -> {
            Job job = client.batch().v1().jobs().inNamespace(namespace).withName(jobName).get();
            List<Pod> pods = podsOf(jobName);
            collectGarbage(job, pods);
            if (job == null || job.getMetadata().getDeletionTimestamp() != null || !isManaged(job)) {
                return;
            }
            List<Pod> owned = pods.stream().filter(pod -> ownedBy(pod, job)).toList();
            JobStatus current = job.getStatus() == null ? new JobStatus() : job.getStatus();
            if (isFinished(current)) {
                scheduleExpiry(job);
                return;
            }
            JobStatus desired = desiredStatus(job, current, owned);
            if (!desired.equals(current)) {
                // editStatus on the snapshot sends only the status diff to .../status, locked on the snapshot's
                // resourceVersion: a spec change in between (the dispatcher's release) gives 409 and a fresh pass.
                client.batch().v1().jobs().inNamespace(namespace).resource(job)
                        .editStatus(latest -> new JobBuilder(latest).withStatus(desired).build());
            }
        });
    }

    /** The status the Job controller would write for these pods; creates or deletes pods on the way. */
    private JobStatus desiredStatus(Job job, JobStatus current, List<Pod> pods) {
        String now = now();
        List<Pod> live = pods.stream().filter(SimulatedKubelet::isLive).toList();
        int succeeded = Math.max(orZero(current.getSucceeded()), count(pods, "Succeeded"));
        int failed = Math.max(orZero(current.getFailed()), count(pods, "Failed"));
        int backoffLimit = job.getSpec().getBackoffLimit() == null
                ? DEFAULT_BACKOFF_LIMIT : job.getSpec().getBackoffLimit();
        JobStatusBuilder status = new JobStatusBuilder(current)
                .withSucceeded(succeeded > 0 ? Integer.valueOf(succeeded) : current.getSucceeded())
                .withFailed(failed > 0 ? Integer.valueOf(failed) : current.getFailed());
        List<JobCondition> conditions = new ArrayList<>(current.getConditions());

        if (Boolean.TRUE.equals(job.getSpec().getSuspend())) {
            // Suspending stops running pods; a never-started Job only gets the condition.
            live.forEach(this::deletePod);
            if (current.getActive() != null) {
                status.withActive(0).withReady(0);
            }
            setCondition(conditions, "Suspended", "True", "JobSuspended", "Job suspended", now);
        } else if (succeeded > 0) {
            status.withActive(0).withReady(0)
                    .withCompletionTime(current.getCompletionTime() == null ? now : current.getCompletionTime());
            resumeIfSuspended(conditions, now);
            setCondition(conditions, "SuccessCriteriaMet", "True", "CompletionsReached",
                    "Reached expected number of succeeded pods", now);
            setCondition(conditions, "Complete", "True", "CompletionsReached",
                    "Reached expected number of succeeded pods", now);
        } else if (failed > backoffLimit) {
            live.forEach(this::deletePod);
            status.withActive(0).withReady(0);
            resumeIfSuspended(conditions, now);
            setCondition(conditions, "FailureTarget", "True", "BackoffLimitExceeded",
                    "Job has reached the specified backoff limit", now);
            setCondition(conditions, "Failed", "True", "BackoffLimitExceeded",
                    "Job has reached the specified backoff limit", now);
        } else if (pastActiveDeadline(job, current)) {
            live.forEach(this::deletePod);
            status.withActive(0).withReady(0);
            setCondition(conditions, "FailureTarget", "True", "DeadlineExceeded",
                    "Job was active longer than specified deadline", now);
            setCondition(conditions, "Failed", "True", "DeadlineExceeded",
                    "Job was active longer than specified deadline", now);
        } else {
            // Like Kubernetes, resuming a suspended Job restarts its clock; a retry keeps it.
            if (current.getStartTime() == null || resumeIfSuspended(conditions, now)) {
                status.withStartTime(now);
            }
            scheduleDeadline(job, status.getStartTime());
            Instant retryAt = retryAt(pods);
            if (live.isEmpty() && Instant.now().isBefore(retryAt)) {
                submit(() -> enqueue(job.getMetadata().getName()), Duration.between(Instant.now(), retryAt));
            } else if (live.isEmpty()) {
                live = List.of(createPod(job));
            }
            status.withActive(live.size())
                    .withReady((int) live.stream().filter(SimulatedKubelet::isReady).count());
        }
        return status.withConditions(conditions).build();
    }

    /**
     * When a failed pod may be replaced. The Job controller waits a back-off (10 s, doubling); here only until the
     * second after the last failure: enough for the replacement's timestamps, which have second precision, to come
     * after the failed pod's, so that the newest pod is the last one tried, as in a cluster.
     */
    private static Instant retryAt(List<Pod> pods) {
        return pods.stream().filter(pod -> "Failed".equals(pod.getStatus() == null ? null : pod.getStatus().getPhase()))
                .flatMap(pod -> pod.getStatus().getContainerStatuses().stream())
                .map(container -> container.getState() == null || container.getState().getTerminated() == null ? null
                        : container.getState().getTerminated().getFinishedAt())
                .filter(Objects::nonNull)
                .map(finishedAt -> Instant.parse(finishedAt).plusSeconds(1))
                .max(Instant::compareTo).orElse(Instant.MIN);
    }

    /** As the Job controller counts it: from {@code status.startTime}, which resuming a suspended Job resets. */
    private static boolean pastActiveDeadline(Job job, JobStatus current) {
        Long deadline = job.getSpec().getActiveDeadlineSeconds();
        boolean suspended = current.getConditions().stream()
                .anyMatch(c -> "Suspended".equals(c.getType()) && "True".equals(c.getStatus()));
        return deadline != null && current.getStartTime() != null && !suspended
                && !Instant.now().isBefore(Instant.parse(current.getStartTime()).plusSeconds(deadline));
    }

    /** No event marks a deadline passing: like the Job controller, look again when it is due. */
    private void scheduleDeadline(Job job, String startTime) {
        Long deadline = job.getSpec().getActiveDeadlineSeconds();
        if (deadline != null) {
            Duration remaining = Duration.between(Instant.now(), Instant.parse(startTime).plusSeconds(deadline));
            String jobName = job.getMetadata().getName();
            submit(() -> enqueue(jobName), remaining.isNegative() ? Duration.ZERO : remaining);
        }
    }

    /** Flips an existing Suspended=True condition to False; true if it did. */
    private static boolean resumeIfSuspended(List<JobCondition> conditions, String now) {
        boolean suspended = conditions.stream()
                .anyMatch(c -> "Suspended".equals(c.getType()) && "True".equals(c.getStatus()));
        if (suspended) {
            setCondition(conditions, "Suspended", "False", "JobResumed", "Job resumed", now);
        }
        return suspended;
    }

    /** Replaces a condition only when its status or reason changes, so an unchanged Job compares equal. */
    private static void setCondition(List<JobCondition> conditions, String type, String status, String reason,
            String message, String now) {
        for (int i = 0; i < conditions.size(); i++) {
            JobCondition existing = conditions.get(i);
            if (type.equals(existing.getType())) {
                if (status.equals(existing.getStatus()) && reason.equals(existing.getReason())) {
                    return;
                }
                conditions.set(i, condition(type, status, reason, message, now));
                return;
            }
        }
        conditions.add(condition(type, status, reason, message, now));
    }

    private static JobCondition condition(String type, String status, String reason, String message, String now) {
        return new JobConditionBuilder()
                .withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastProbeTime(now).withLastTransitionTime(now)
                .build();
    }

    // ---- the kubelet

    private Pod createPod(Job job) {
        String jobName = job.getMetadata().getName();
        String uid = job.getMetadata().getUid();
        var template = job.getSpec().getTemplate();
        Map<String, String> labels = new HashMap<>();
        if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
            labels.putAll(template.getMetadata().getLabels());
        }
        labels.put(JOB_NAME_LABEL, jobName);
        labels.put(LEGACY_JOB_NAME_LABEL, jobName);
        if (uid != null) {
            labels.put(CONTROLLER_UID_LABEL, uid);
            labels.put(LEGACY_CONTROLLER_UID_LABEL, uid);
        }
        // Created with its status in one call: the mock keeps it, and no one can see a status-less pod.
        Pod pod = new PodBuilder()
                .withNewMetadata()
                    .withName(podName(jobName))
                    .withNamespace(namespace)
                    .withLabels(labels)
                    .withAnnotations(template.getMetadata() == null ? null : template.getMetadata().getAnnotations())
                    .addNewOwnerReference()
                        .withApiVersion("batch/v1").withKind("Job").withName(jobName).withUid(uid)
                        .withController(true).withBlockOwnerDeletion(true)
                    .endOwnerReference()
                .endMetadata()
                .withSpec(new PodSpecBuilder(template.getSpec()).build())
                .withNewStatus()
                    .withPhase("Pending")
                    .withQosClass("BestEffort")
                    .withContainerStatuses(containerStatuses(template.getSpec(), container -> container
                            .withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting().endState()
                            .withReady(false).withStarted(false)))
                .endStatus()
                .build();
        Pod created = client.pods().inNamespace(namespace).resource(pod).create();
        String podName = created.getMetadata().getName();
        submit(() -> advance(jobName, podName), refusedImage(created.getSpec()).isPresent() ? FAILED_PULL
                : CONTAINER_START);
        return created;
    }

    /**
     * Moves a waiting pod one step: with every image pullable it runs; with a refused image it goes from
     * ContainerCreating to ErrImagePull, then to ImagePullBackOff, where it waits for {@link #allowPull}. A pod that
     * was deleted or finished meanwhile is left alone.
     */
    private void advance(String jobName, String podName) {
        retryOnConflict(() -> {
            Pod pod = client.pods().inNamespace(namespace).withName(podName).get();
            if (pod == null || !isLive(pod) || !"Pending".equals(pod.getStatus().getPhase())) {
                return;
            }
            String waiting = waitingReason(pod);
            Optional<String> refused = refusedImage(pod.getSpec());
            if (refused.isPresent()) {
                if ("ContainerCreating".equals(waiting)) {
                    writePullError(pod, "ErrImagePull", "failed to pull image \"" + refused.get() + "\": not found");
                    submit(() -> advance(jobName, podName), CONTAINER_START);
                } else if ("ErrImagePull".equals(waiting)) {
                    writePullError(pod, "ImagePullBackOff", "Back-off pulling image \"" + refused.get() + "\"");
                }
                return;
            }
            startContainers(jobName, pod);
        });
    }

    /** The pod stays Pending and not ready, so its Job's status does not change. */
    private void writePullError(Pod pod, String reason, String message) {
        writePodStatus(pod, new PodStatusBuilder(pod.getStatus())
                .withContainerStatuses(containerStatuses(pod.getSpec(), container -> container
                        .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()
                        .withReady(false).withStarted(false)))
                .build());
    }

    private Optional<String> refusedImage(PodSpec spec) {
        return spec.getContainers().stream().map(Container::getImage).filter(refusedImages::contains)
                .findFirst();
    }

    /** Pending → Running. */
    private void startContainers(String jobName, Pod pod) {
        String now = now();
        String ip = nextIp();
        writePodStatus(pod, new PodStatusBuilder(pod.getStatus())
                .withPhase("Running")
                .withHostIP("10.0.0.1")
                .withPodIP(ip)
                .withPodIPs(new PodIP(ip))
                .withStartTime(now)
                .withConditions(podCondition("PodScheduled", "True", now), podCondition("Initialized", "True", now),
                        podCondition("ContainersReady", "True", now), podCondition("Ready", "True", now))
                .withContainerStatuses(containerStatuses(pod.getSpec(), container -> container
                        .withNewState().withNewRunning().withStartedAt(now).endRunning().endState()
                        .withReady(true).withStarted(true)))
                .build());
        if (runDuration != null) {
            String podName = pod.getMetadata().getName();
            submit(() -> finishAfterRun(jobName, podName), runDuration);
        }
        // The Job's ready count follows the pod's readiness.
        enqueue(jobName);
    }

    /** The demo's pods succeed by themselves once their run time is over. */
    private void finishAfterRun(String jobName, String podName) {
        retryOnConflict(() -> {
            Pod pod = client.pods().inNamespace(namespace).withName(podName).get();
            if (pod != null && isLive(pod) && "Running".equals(pod.getStatus().getPhase())) {
                writePodStatus(pod, terminated(pod, 0));
            }
        });
        enqueue(jobName);
    }

    private Void terminate(String jobName, int exitCode) {
        // a Job released a moment ago may be waiting for its pod on this thread's queue: the Job controller's pass
        // comes first, as it would have by the time a container can end
        reconcile(jobName);
        retryOnConflict(() -> {
            Pod pod = requireLivePod(jobName);
            writePodStatus(pod, terminated(pod, exitCode));
        });
        // Synchronously, so that the Job counts the failure before fail() returns.
        reconcile(jobName);
        return null;
    }

    private PodStatus terminated(Pod pod, int exitCode) {
        String now = now();
        String startedAt = pod.getStatus().getStartTime() == null ? now : pod.getStatus().getStartTime();
        String reason = exitCode == 0 ? "Completed" : "Error";
        return new PodStatusBuilder(pod.getStatus())
                .withPhase(exitCode == 0 ? "Succeeded" : "Failed")
                .withConditions(podCondition("PodScheduled", "True", startedAt),
                        podCondition("Initialized", "True", startedAt),
                        podCondition("ContainersReady", "False", now), podCondition("Ready", "False", now))
                .withContainerStatuses(containerStatuses(pod.getSpec(), container -> container
                        .withNewState().withNewTerminated()
                            .withExitCode(exitCode).withReason(reason).withStartedAt(startedAt).withFinishedAt(now)
                        .endTerminated().endState()
                        .withReady(false).withStarted(false)))
                .build();
    }

    private void writePodStatus(Pod snapshot, PodStatus status) {
        client.pods().inNamespace(namespace).resource(snapshot)
                .editStatus(latest -> new PodBuilder(latest).withStatus(status).build());
    }

    private Pod requireLivePod(String jobName) {
        return livePod(jobName).orElseThrow(() -> new IllegalStateException(
                "job " + jobName + " in namespace " + namespace + " has no live pod"));
    }

    // ---- the Deployment and StatefulSet controllers

    /**
     * The pods of the Deployment or StatefulSet of that name fail their readiness probe from now on: it drops to,
     * and stays at, 0 ready replicas. It need not exist yet.
     */
    public void holdUnready(String name) {
        unready.add(name);
        reconcileWorkloads(name);
    }

    /** Its pods pass their probe again: it becomes ready after the start delay. */
    public void allowReady(String name) {
        unready.remove(name);
        reconcileWorkloads(name);
    }

    private enum Kind { DEPLOYMENT, STATEFUL_SET }

    private record Workload(Kind kind, String name) {
    }

    private <T extends HasMetadata> ResourceEventHandler<T> workloadHandler(Kind kind) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                Workload workload = new Workload(kind, obj.getMetadata().getName());
                submit(() -> reconcile(workload), Duration.ZERO);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onAdd(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                // nothing to undo: its pods are not simulated
            }
        };
    }

    private void reconcileWorkloads(String name) {
        for (Kind kind : Kind.values()) {
            submit(() -> reconcile(new Workload(kind, name)), Duration.ZERO);
        }
    }

    /**
     * {@code status.replicas}, {@code readyReplicas} and {@code availableReplicas} follow {@code spec.replicas}:
     * a fall is written at once, a rise once new replicas had {@link #CONTAINER_START} to start.
     */
    private void reconcile(Workload workload) {
        HasMetadata object = workload.kind() == Kind.DEPLOYMENT
                ? client.apps().deployments().inNamespace(namespace).withName(workload.name()).get()
                : client.apps().statefulSets().inNamespace(namespace).withName(workload.name()).get();
        if (object == null) {
            return;
        }
        int[] replicasAndReady = replicasAndReady(object);
        int target = readyTarget(workload, desiredReplicas(object));
        if (target > replicasAndReady[1]) {
            if (startingWorkloads.add(workload)) {
                submit(() -> {
                    startingWorkloads.remove(workload);
                    writeWorkloadStatus(workload, false);
                }, CONTAINER_START);
            }
        } else if (target != replicasAndReady[1] || replicasAndReady[0] != desiredReplicas(object)) {
            writeWorkloadStatus(workload, true);
        }
    }

    /**
     * Writes the status the object's spec calls for now; {@code onlyFalling} keeps readiness from rising before
     * replicas that are still starting are up.
     */
    private void writeWorkloadStatus(Workload workload, boolean onlyFalling) {
        retryOnConflict(() -> {
            if (workload.kind() == Kind.DEPLOYMENT) {
                client.apps().deployments().inNamespace(namespace).withName(workload.name()).editStatus(d -> {
                    int desired = desiredReplicas(d);
                    int ready = readyAfter(workload, desired, replicasAndReady(d)[1], onlyFalling);
                    return new DeploymentBuilder(d).withStatus(new DeploymentStatusBuilder(d.getStatus())
                            .withReplicas(desired).withUpdatedReplicas(desired).withReadyReplicas(ready)
                            .withAvailableReplicas(ready).withObservedGeneration(d.getMetadata().getGeneration())
                            .build()).build();
                });
            } else {
                client.apps().statefulSets().inNamespace(namespace).withName(workload.name()).editStatus(s -> {
                    int desired = desiredReplicas(s);
                    int ready = readyAfter(workload, desired, replicasAndReady(s)[1], onlyFalling);
                    return new StatefulSetBuilder(s).withStatus(new StatefulSetStatusBuilder(s.getStatus())
                            .withReplicas(desired).withCurrentReplicas(desired).withReadyReplicas(ready)
                            .withAvailableReplicas(ready).withObservedGeneration(s.getMetadata().getGeneration())
                            .build()).build();
                });
            }
        });
    }

    private int readyTarget(Workload workload, int desired) {
        return unready.contains(workload.name()) ? 0 : desired;
    }

    private int readyAfter(Workload workload, int desired, int current, boolean onlyFalling) {
        int target = readyTarget(workload, desired);
        return onlyFalling ? Math.min(current, target) : target;
    }

    /** {@code spec.replicas}; unset means 1, as the API server defaults it. */
    private static int desiredReplicas(HasMetadata object) {
        Integer replicas = object instanceof Deployment d ? d.getSpec().getReplicas()
                : ((StatefulSet) object).getSpec().getReplicas();
        return replicas == null ? 1 : replicas;
    }

    /** {@code status.replicas} and {@code status.readyReplicas}, 0 when unset. */
    private static int[] replicasAndReady(HasMetadata object) {
        if (object instanceof Deployment d) {
            return d.getStatus() == null ? new int[2]
                    : new int[] {orZero(d.getStatus().getReplicas()), orZero(d.getStatus().getReadyReplicas())};
        }
        StatefulSet s = (StatefulSet) object;
        return s.getStatus() == null ? new int[2]
                : new int[] {orZero(s.getStatus().getReplicas()), orZero(s.getStatus().getReadyReplicas())};
    }

    // ---- TTL controller and garbage collector

    private void scheduleExpiry(Job job) {
        Integer ttl = job.getSpec().getTtlSecondsAfterFinished();
        String uid = job.getMetadata().getUid();
        if (ttl == null || !expiring.add(uid)) {
            return;
        }
        Instant finished = job.getStatus().getConditions().stream()
                .filter(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                        && "True".equals(c.getStatus()))
                .map(c -> Instant.parse(c.getLastTransitionTime()))
                .findFirst().orElseGet(Instant::now);
        Duration delay = Duration.between(Instant.now(), finished.plusSeconds(ttl));
        String jobName = job.getMetadata().getName();
        submit(() -> {
            expiring.remove(uid);
            Job latest = client.batch().v1().jobs().inNamespace(namespace).withName(jobName).get();
            // The uid check keeps a newer Job that reuses the name alive.
            if (latest != null && uid.equals(latest.getMetadata().getUid())) {
                client.batch().v1().jobs().inNamespace(namespace).withName(jobName)
                        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
            }
        }, delay.isNegative() ? Duration.ZERO : delay);
    }

    /**
     * Deletes pods whose controlling Job is gone or was replaced by a newer Job of the same name; like the real
     * garbage collector it goes by owner uid, so pods without an owner reference are left alone.
     */
    private void collectGarbage(Job job, List<Pod> pods) {
        pods.stream()
                .filter(pod -> pod.getMetadata().getOwnerReferences().stream()
                        .anyMatch(owner -> "Job".equals(owner.getKind())
                                && (job == null || !job.getMetadata().getUid().equals(owner.getUid()))))
                .forEach(this::deletePod);
    }

    private void deletePod(Pod pod) {
        client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).delete();
    }

    // ---- small helpers

    /** Re-runs a read-decide-write step on 409 (someone wrote in between); a 404 means the object is gone. */
    private void retryOnConflict(Runnable step) {
        for (int attempt = 1;; attempt++) {
            try {
                step.run();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return;
                }
                if (e.getCode() != 409 || attempt >= MAX_CONFLICT_RETRIES) {
                    throw e;
                }
            }
        }
    }

    private List<Pod> podsOf(String jobName) {
        return client.pods().inNamespace(namespace).withLabel(JOB_NAME_LABEL, jobName).list().getItems();
    }

    private static String podName(String jobName) {
        StringBuilder name = new StringBuilder(jobName.length() > 57 ? jobName.substring(0, 57) : jobName).append('-');
        for (int i = 0; i < 5; i++) {
            name.append(NAME_CHARS.charAt(ThreadLocalRandom.current().nextInt(NAME_CHARS.length())));
        }
        return name.toString();
    }

    private static String nextIp() {
        int n = IP_SEQUENCE.getAndIncrement();
        return "10.244." + (n / 254) % 256 + "." + (n % 254 + 1);
    }

    private static boolean isManaged(Job job) {
        Map<String, String> labels = job.getMetadata().getLabels();
        return labels != null && Labels.MANAGED_BY_VALUE.equals(labels.get(Labels.MANAGED_BY));
    }

    private static boolean ownedBy(Pod pod, Job job) {
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
        return owners == null || owners.isEmpty()
                || owners.stream().anyMatch(owner -> job.getMetadata().getUid().equals(owner.getUid()));
    }

    private static boolean isFinished(JobStatus status) {
        return status.getConditions().stream().anyMatch(c -> "True".equals(c.getStatus())
                && ("Complete".equals(c.getType()) || "Failed".equals(c.getType())));
    }

    private static boolean isLive(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return pod.getMetadata().getDeletionTimestamp() == null
                && !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    private static boolean isReady(Pod pod) {
        return "Running".equals(pod.getStatus().getPhase()) && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** The waiting reason of the pod's first container, if it waits. */
    private static String waitingReason(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses().stream()
                .map(ContainerStatus::getState)
                .filter(state -> state != null && state.getWaiting() != null)
                .map(state -> state.getWaiting().getReason())
                .findFirst().orElse(null);
    }

    private static int count(List<Pod> pods, String phase) {
        return (int) pods.stream().filter(pod -> pod.getStatus() != null && phase.equals(pod.getStatus().getPhase()))
                .count();
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    /** One status per container, named and imaged after it, with the state {@code state} gives it. */
    private static List<ContainerStatus> containerStatuses(PodSpec spec,
            UnaryOperator<ContainerStatusBuilder> state) {
        return spec.getContainers().stream()
                .map(container -> state.apply(new ContainerStatusBuilder()
                        .withName(container.getName()).withImage(container.getImage()).withRestartCount(0)).build())
                .toList();
    }

    private static PodCondition podCondition(String type, String status, String now) {
        return new PodConditionBuilder().withType(type).withStatus(status).withLastTransitionTime(now).build();
    }

    /** RFC 3339 with second precision, as the API server writes {@code metav1.Time}. */
    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
