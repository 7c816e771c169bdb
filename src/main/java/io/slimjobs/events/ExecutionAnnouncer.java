package io.slimjobs.events;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.slimjobs.Json;
import io.slimjobs.kube.FinishedExecution;
import io.slimjobs.kube.JobIndex;
import io.slimjobs.kube.Labels;
import io.slimjobs.kube.Named;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces finished executions, on the leader only: a CloudEvent posted to the execution's callback URL and, when an
 * events topic is set, published there. Each part done is marked on the Job ({@link Labels#CALLBACK},
 * {@link Labels#EVENT_PUBLISHED}), so that whoever leads next, after a restart or a hand-over, does the parts left and
 * only those. The Job events and the leader's resyncs name finished executions; the routes in
 * {@link AnnouncementRoutes} do the work, calling the steps here.
 */
public final class ExecutionAnnouncer {

    /** Exchange property holding the {@link Announcement} a route works on. */
    public static final String ANNOUNCEMENT = "slimjobsAnnouncement";
    /** Exchange property holding the event's structured JSON, sent as is by every attempt and to the topic. */
    public static final String EVENT = "slimjobsEvent";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";

    private static final Logger LOG = LoggerFactory.getLogger(ExecutionAnnouncer.class);

    private final JobIndex jobs;
    private final KubernetesClient client;
    private final String namespace;
    private final BooleanSupplier leads;
    private final boolean eventsTopic;
    private final int maxAttempts;
    private final String secret;
    /**
     * Parts this replica has taken on (execution Id and part), until the cache shows them marked or the Job gone:
     * events and resyncs keep naming an execution until then, and a part must not start twice.
     */
    private final Set<String> taken = ConcurrentHashMap.newKeySet();
    private volatile Consumer<Announcement> requests;

    /**
     * @param leads       whether this replica leads now
     * @param eventsTopic whether executions' ends are published to an events topic
     * @param maxAttempts the most delivery attempts of one callback
     * @param secret      the key callbacks are signed with; empty: unsigned
     */
    public ExecutionAnnouncer(JobIndex jobs, KubernetesClient client, String namespace, BooleanSupplier leads,
                              boolean eventsTopic, int maxAttempts, String secret) {
        this.jobs = jobs;
        this.client = client;
        this.namespace = namespace;
        this.leads = leads;
        this.eventsTopic = eventsTopic;
        this.maxAttempts = maxAttempts;
        this.secret = secret;
    }

    /** Wires the route that takes announcements; until then, and after {@link #stop}, none is taken on. */
    public void start(Consumer<Announcement> announcements) {
        this.requests = announcements;
    }

    public void stop() {
        requests = null;
    }

    /** A finished execution, as the cache shows it now: on the leader, the parts left that nobody does yet start. */
    public void finished(FinishedExecution execution) {
        boolean callback = execution.callbackUrl() != null && execution.callback() == null;
        boolean publish = eventsTopic && !execution.eventPublished();
        if (!callback) {
            taken.remove(key(execution.id(), Labels.CALLBACK));
        }
        if (!publish) {
            taken.remove(key(execution.id(), Labels.EVENT_PUBLISHED));
        }
        Consumer<Announcement> announcements = requests;
        if (announcements == null || !leads.getAsBoolean()) {
            return;
        }
        callback = callback && taken.add(key(execution.id(), Labels.CALLBACK));
        publish = publish && taken.add(key(execution.id(), Labels.EVENT_PUBLISHED));
        if (callback || publish) {
            announcements.accept(new Announcement(execution, callback, publish));
        }
    }

    public void removed(String executionId) {
        taken.remove(key(executionId, Labels.CALLBACK));
        taken.remove(key(executionId, Labels.EVENT_PUBLISHED));
    }

    /** On taking the lead and periodically: every finished execution in the cache, whatever events were missed. */
    public void resync() {
        jobs.finishedExecutions().forEach(this::finished);
    }

    /** The event's structured JSON; null when the Job is gone meanwhile (deleted, or past its TTL). */
    public byte[] event(@ExchangeProperty(ANNOUNCEMENT) Announcement announcement) {
        FinishedExecution execution = announcement.execution();
        return jobs.executionDetail(execution.jobName(), execution.id())
                .map(detail -> ExecutionFinishedEvent.json(namespace, execution.jobName(), detail))
                .orElseGet(() -> {
                    removed(execution.id());
                    return null;
                });
    }

    /** The headers of one delivery attempt; the body is the event. */
    public void callbackRequest(@ExchangeProperty(ANNOUNCEMENT) Announcement announcement,
                                @ExchangeProperty(EVENT) byte[] event, Exchange exchange) {
        var message = exchange.getMessage();
        message.setHeader(Exchange.HTTP_URI, announcement.execution().callbackUrl());
        message.setHeader(Exchange.CONTENT_TYPE, CloudEvents.STRUCTURED_CONTENT_TYPE);
        if (!secret.isEmpty()) {
            message.setHeader(CallbackSignature.HEADER, CallbackSignature.of(secret, event));
        }
    }

    /** Whether a failed delivery is tried again: attempts are left and this replica still leads. */
    public boolean retryDelivery(@Header(Exchange.REDELIVERY_COUNTER) Integer failedAttempts) {
        return (failedAttempts == null ? 0 : failedAttempts) < maxAttempts && leads.getAsBoolean();
    }

    public void delivered(@ExchangeProperty(ANNOUNCEMENT) Announcement announcement) {
        FinishedExecution execution = announcement.execution();
        LOG.info("Job {} execution {}: its end was posted to {}", execution.jobName(), execution.id(),
                execution.callbackUrl());
        mark(execution, Labels.CALLBACK, DELIVERED);
    }

    /**
     * The last attempt failed, or this replica stopped leading (or is stopping) between two: only a leader gives up
     * for good; otherwise the next leader delivers, since nothing is marked.
     *
     * @return whether this replica gave the delivery up for good
     */
    public boolean deliveryFailed(@ExchangeProperty(ANNOUNCEMENT) Announcement announcement,
                                  @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception cause,
                                  @Header(Exchange.REDELIVERY_COUNTER) Integer redeliveries) {
        FinishedExecution execution = announcement.execution();
        int attempts = (redeliveries == null ? 0 : redeliveries) + 1;
        if (!leads.getAsBoolean()) {
            LOG.info("Job {} execution {}: this replica no longer leads, so it stops posting to {} after {} "
                    + "attempt(s); the next leader delivers", execution.jobName(), execution.id(),
                    execution.callbackUrl(), attempts);
            taken.remove(key(execution.id(), Labels.CALLBACK));
            return false;
        }
        LOG.warn("Job {} execution {}: its end could not be posted to {} in {} attempts, the last failing with: {}",
                execution.jobName(), execution.id(), execution.callbackUrl(), attempts, cause.toString());
        mark(execution, Labels.CALLBACK, FAILED);
        return true;
    }

    public void published(@ExchangeProperty(ANNOUNCEMENT) Announcement announcement) {
        mark(announcement.execution(), Labels.EVENT_PUBLISHED, "true");
    }

    /** The broker did not take the event: the next resync tries again. */
    public void publishFailed(@ExchangeProperty(ANNOUNCEMENT) Announcement announcement,
                              @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception cause) {
        FinishedExecution execution = announcement.execution();
        LOG.warn("Job {} execution {}: its end could not be published to the events topic, the next resync tries "
                + "again: {}", execution.jobName(), execution.id(), cause.toString());
        taken.remove(key(execution.id(), Labels.EVENT_PUBLISHED));
    }

    /**
     * Marks a part done on the Job. A Job gone meanwhile needs no mark; a mark that cannot be written leaves the part
     * to the next resync (done once more: receivers drop a repeat by the event's id).
     */
    private void mark(FinishedExecution execution, String annotation, String value) {
        try {
            client.batch().v1().jobs().inNamespace(namespace).resource(Named.object(Job.class, execution.objectName()))
                    .patch(PatchContext.of(PatchType.JSON_MERGE), Json.MAPPER.writeValueAsString(
                            Map.of("metadata", Map.of("annotations", Map.of(annotation, value)))));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                LOG.error("Job {} execution {}: {}={} could not be written; the next resync does that part again",
                        execution.jobName(), execution.id(), annotation, value, e);
                taken.remove(key(execution.id(), annotation));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String key(String executionId, String part) {
        return executionId + " " + part;
    }
}
