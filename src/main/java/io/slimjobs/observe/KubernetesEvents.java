package io.slimjobs.observe;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.slimjobs.kube.JobIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the queued, released and waiting decisions as Kubernetes Events regarding the execution's Job, so that
 * `kubectl describe job` shows its story. Decisions are handed to a bounded, rate-limited queue (the
 * `kubernetes-events` route) so that a long queue cannot flood the API server: those that find it full are dropped
 * and counted. An Event that cannot be created is lost; the execution never notices.
 */
public final class KubernetesEvents implements Consumer<ExecutionDecision> {

    /** The name the route calls this bean by. */
    public static final String BEAN = "kubernetesEvents";
    static final String REPORTING_CONTROLLER = "slimjobs.io/slimjobs";

    private static final Duration DROP_WARNING_INTERVAL = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesEvents.class);
    /** The decisions told, with the Event's reason and action. */
    private static final Map<Decision, Told> TOLD = Map.of(
            Decision.QUEUED, new Told("Queued", "Queue"),
            Decision.RELEASED, new Told("Released", "Release"),
            Decision.WAITING, new Told("Waiting", "Wait"));
    /** MicroTime's layout: RFC 3339 with microseconds. */
    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

    private final KubernetesClient client;
    private final String namespace;
    private final JobIndex jobs;
    private final String reportingInstance;
    private final Predicate<ExecutionDecision> queue;
    private final Counter dropped;
    /** When a drop may be warned of again (System.nanoTime): a burst of drops is one warning, not one per Event. */
    private final AtomicLong nextDropWarning = new AtomicLong(System.nanoTime());
    /** Whether the last creation failed: a run of failures is warned of once. */
    private final AtomicBoolean failing = new AtomicBoolean();

    /**
     * @param queue offers a decision to the rate-limited route; false when its queue is full
     */
    public KubernetesEvents(KubernetesClient client, String namespace, JobIndex jobs, String reportingInstance,
                            Predicate<ExecutionDecision> queue, Counter dropped) {
        this.client = client;
        this.namespace = namespace;
        this.jobs = jobs;
        this.reportingInstance = reportingInstance;
        this.queue = queue;
        this.dropped = dropped;
    }

    @Override
    public void accept(ExecutionDecision decision) {
        if (!TOLD.containsKey(decision.decision())) {
            return;
        }
        if (queue.test(decision)) {
            return;
        }
        dropped.increment();
        long now = System.nanoTime();
        long next = nextDropWarning.get();
        if (now - next >= 0 && nextDropWarning.compareAndSet(next, now + DROP_WARNING_INTERVAL.toNanos())) {
            LOG.warn("Decisions come faster than slimjobs.events.max-per-second allows and the Kubernetes Events queue "
                    + "is full: Events are dropped until it has room again (counted by "
                    + "slimjobs_kubernetes_events_dropped_total; said at most once a minute)");
        }
    }

    /** Creates the Event of a queued decision; called by the route at the rate allowed. */
    public void create(ExecutionDecision decision) {
        try {
            client.events().v1().events().inNamespace(namespace).resource(event(decision)).create();
            if (failing.getAndSet(false)) {
                LOG.info("Kubernetes Events are created again");
            }
        } catch (KubernetesClientException e) {
            if (!failing.getAndSet(true)) {
                LOG.warn("Kubernetes Events cannot be created, executions go on without them: {}", e.getMessage());
            } else {
                LOG.debug("Kubernetes Event of execution {} not created: {}", decision.executionId(), e.getMessage());
            }
        }
    }

    private Event event(ExecutionDecision d) {
        // the queued decision comes straight from the Job's creation: by now the cache usually knows its uid
        String uid = jobs.job(d.objectName()).map(job -> job.getMetadata().getUid()).orElse(null);
        return new EventBuilder()
                .withNewMetadata()
                    .withName(d.objectName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()))
                    .withNamespace(namespace)
                .endMetadata()
                .withRegarding(new ObjectReferenceBuilder()
                        .withApiVersion("batch/v1").withKind("Job")
                        .withName(d.objectName()).withNamespace(namespace).withUid(uid)
                        .build())
                .withType("Normal")
                .withReason(TOLD.get(d.decision()).reason())
                .withAction(TOLD.get(d.decision()).action())
                .withNote(note(d))
                .withEventTime(new MicroTime(MICRO_TIME.format(d.at())))
                .withReportingController(REPORTING_CONTROLLER)
                .withReportingInstance(reportingInstance)
                .build();
    }

    private static String note(ExecutionDecision d) {
        return switch (d.decision()) {
            case QUEUED -> "Execution " + d.executionId() + " of job " + d.jobName() + " queued (door " + d.detail()
                    + ")";
            case RELEASED -> "Execution " + d.executionId() + " released: a slot is free and its dependencies are ready";
            default -> "Execution " + d.executionId() + " stays queued: " + d.detail();
        };
    }

    private record Told(String reason, String action) {
    }
}
