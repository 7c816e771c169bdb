package io.slimjobs.trigger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.slimjobs.config.Definitions;
import io.slimjobs.config.JobDefinition;
import io.slimjobs.config.JobsConfiguration;
import io.slimjobs.error.ClusterUnavailableException;
import io.slimjobs.error.PayloadTooLargeException;
import io.slimjobs.events.CloudEvents;
import io.slimjobs.kube.InputSecrets;
import io.slimjobs.events.CallbackUrls;
import io.slimjobs.kube.JobFactory;
import io.slimjobs.kube.JobIndex;
import io.slimjobs.kube.Labels;
import io.slimjobs.kube.Names;
import io.slimjobs.observe.ExecutionDecision;
import io.slimjobs.observe.ExecutionDecisions;
import io.slimjobs.security.VisibilityGuard;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The steps of the `trigger` route, in route order. */
public final class TriggerSteps {

    private static final Logger LOG = LoggerFactory.getLogger(TriggerSteps.class);

    /** Exchange property holding the definition a trigger runs under, for metrics. */
    public static final String DEFINITION_PROPERTY = "slimjobsDefinition";
    /** Exchange property holding the TriggerRequest being run. */
    public static final String REQUEST_PROPERTY = "slimjobsTriggerRequest";
    private static final String EXECUTION_ID_PROPERTY = "slimjobsExecutionId";
    /** Exchange property holding the execution's input Secret; absent when it has no input files. */
    private static final String INPUT_SECRET_PROPERTY = "slimjobsInputSecret";
    /** Exchange property holding the Job to create. */
    private static final String JOB_PROPERTY = "slimjobsJob";
    /** How often a keyed create is tried when it meets a Job given up on, replaced meanwhile by another request. */
    private static final int MAX_CREATE_ATTEMPTS = 3;
    /** Exchange property holding the Job this request created; absent on a repeat. */
    static final String CREATED_JOB_PROPERTY = "slimjobsCreatedJob";
    /** The most bytes of input files (event and payload) one execution's Secret holds, below the API's limit. */
    static final long MAX_INPUT_SIZE = 1024 * 1024;

    /** How long an accepted trigger waits for its Job to reach the cache before answering anyway. */
    private static final Duration CACHE_WAIT = Duration.ofSeconds(2);

    private final Definitions definitions;
    private final JobFactory jobFactory;
    private final JobIndex jobs;
    private final InputSecrets inputSecrets;
    private final KubernetesClient writes;
    private final String namespace;
    private final CallbackUrls callbackUrls;
    private final ExecutionDecisions decisions;
    private final TriggerDeadline deadline;
    private final AbandonedJobs abandoned;

    /**
     * @param writes the client the Job is created with, whose request timeout is the trigger deadline's
     */
    public TriggerSteps(Definitions definitions, JobFactory jobFactory, JobIndex jobs, InputSecrets inputSecrets,
                        KubernetesClient writes, String namespace, CallbackUrls callbackUrls,
                        ExecutionDecisions decisions, TriggerDeadline deadline, AbandonedJobs abandoned) {
        this.definitions = definitions;
        this.callbackUrls = callbackUrls;
        this.decisions = decisions;
        this.jobFactory = jobFactory;
        this.jobs = jobs;
        this.inputSecrets = inputSecrets;
        this.writes = writes;
        this.namespace = namespace;
        this.deadline = deadline;
        this.abandoned = abandoned;
    }

    /**
     * Name rules, visibility, the overrides against the definition's guard rails, the callback URL, then the input's
     * size.
     */
    public ExecutionPlan plan(TriggerRequest request, Exchange exchange) {
        exchange.setProperty(REQUEST_PROPERTY, request);
        String jobName = Names.jobName(request.jobName());
        JobsConfiguration configuration = definitions.forRequest();
        JobDefinition definition = configuration.definitionFor(jobName);
        exchange.setProperty(DEFINITION_PROPERTY,
                configuration.definitions().containsKey(jobName) ? jobName : JobsConfiguration.DEFAULT);
        VisibilityGuard.check(jobName, definition, request.trustedCaller());
        ExecutionPlan plan = GuardRails.apply(jobName, definition,
                OverridesReader.read(request.overridesJson(), request.contentType()))
                .withEventAndCallback(request.event() == null ? null : CloudEvents.json(request.event()),
                        callbackUrls.effective(request.callbackUrl(), definition.callbackUrl()));
        if (plan.inputSize() > MAX_INPUT_SIZE) {
            throw new PayloadTooLargeException("the input files (the CloudEvent and the Payload) take "
                    + plan.inputSize() + " bytes, more than the " + MAX_INPUT_SIZE + " one execution can hold");
        }
        return plan;
    }

    /**
     * The suspended Job, carrying the instant its trigger answers by. With an idempotency key, the execution Id, and
     * so the Job name, derive from the job name and the key: a repeat meets the Job made first.
     */
    public void kubernetesJob(ExecutionPlan plan, @ExchangeProperty(REQUEST_PROPERTY) TriggerRequest request,
                              Exchange exchange) {
        String key = request.idempotencyKey();
        String id = key == null ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes((plan.jobName() + "\n" + key).getBytes(StandardCharsets.UTF_8)).toString();
        exchange.setProperty(EXECUTION_ID_PROPERTY, id);
        Job job = jobFactory.build(plan, id, key);
        Map<String, String> annotations = new LinkedHashMap<>(job.getMetadata().getAnnotations());
        annotations.put(Labels.ANSWER_BY, deadline.answerBy().toString());
        job.getMetadata().setAnnotations(annotations);
        exchange.setProperty(JOB_PROPERTY, job);
        if (plan.hasInput()) {
            exchange.setProperty(INPUT_SECRET_PROPERTY, jobFactory.inputSecret(job, plan));
        }
    }

    /**
     * Creates the input Secret, if the execution has input files, then its Job, by the instant the trigger answers by.
     * Past it the door answers 503, and a Job whose create was still in flight must never run; its input Secret is
     * deleted once that create has ended, unless a retry with the same idempotency key may be using it by then (the
     * sweep deletes it if none does). Any other failure deletes the input Secret at once.
     */
    public void create(@ExchangeProperty(JOB_PROPERTY) Job job, @ExchangeProperty(INPUT_SECRET_PROPERTY) Secret input,
                       @ExchangeProperty(REQUEST_PROPERTY) TriggerRequest request, Exchange exchange) {
        boolean keyed = request.idempotencyKey() != null;
        Instant answerBy = Instant.parse(job.getMetadata().getAnnotations().get(Labels.ANSWER_BY));
        AtomicBoolean gaveUp = new AtomicBoolean();
        try {
            Job created = deadline.within(answerBy, () -> {
                if (input != null) {
                    inputSecrets.create(input, keyed);
                }
                return createOrMeet(job, keyed, gaveUp);
            }, () -> {
                gaveUp.set(true);
                abandoned.gaveUp(job);
            }, () -> {
                if (input != null && !keyed) {
                    inputSecrets.discard(input);
                }
            });
            if (created != null) {
                exchange.setProperty(CREATED_JOB_PROPERTY, created);
            }
        } catch (RuntimeException e) {
            if (input != null && !gaveUp.get()) {
                inputSecrets.discard(input);
            }
            throw e;
        }
    }

    /**
     * The Job created, or null when a request with the same idempotency key made it already. One that request gave up
     * on is deleted and made again: its caller was told 503, so it would never run; unless this request has given up
     * too, which leaves it to the retry.
     */
    private Job createOrMeet(Job job, boolean keyed, AtomicBoolean gaveUp) {
        String name = job.getMetadata().getName();
        for (int attempt = 1; ; attempt++) {
            try {
                return writes.batch().v1().jobs().inNamespace(namespace).resource(job).create();
            } catch (KubernetesClientException e) {
                if (!keyed || e.getCode() != 409 || gaveUp.get()) {
                    throw e;
                }
                Job first = writes.batch().v1().jobs().inNamespace(namespace).withName(name).get();
                if (first != null && !abandoned.mustNotRun(first)) {
                    return null;
                }
                if (attempt == MAX_CREATE_ATTEMPTS) {
                    throw new ClusterUnavailableException("Job " + name + " was being replaced by another request "
                            + "with the same idempotency key; retry");
                }
                if (first != null) {
                    LOG.info("Job {} was given up on by an earlier request with the same idempotency key: replaced",
                            name);
                    writes.batch().v1().jobs().inNamespace(namespace).withName(name).delete();
                }
            }
        }
    }

    /** Hands the input Secret to its Job, the one created or, on a repeat, the one the first request made. */
    public void ownInput(@ExchangeProperty(INPUT_SECRET_PROPERTY) Secret input,
                         @ExchangeProperty(CREATED_JOB_PROPERTY) Job created) {
        if (input == null) {
            return;
        }
        Job owner = created != null ? created : inputSecrets.existingJob(input.getMetadata().getName());
        if (owner != null) {
            inputSecrets.own(input, owner);
        }
    }

    /**
     * Answers once the execution is listed, so a caller polling right after sees it. A repeat answers the execution
     * the first request made, whose Id the key gave it.
     */
    public TriggerAccepted accepted(@ExchangeProperty(CREATED_JOB_PROPERTY) Job created,
                                    @ExchangeProperty(REQUEST_PROPERTY) TriggerRequest request,
                                    @ExchangeProperty(EXECUTION_ID_PROPERTY) String id) {
        jobs.awaitCached(id, CACHE_WAIT);
        if (created == null) {
            LOG.info("Job {} execution {} already exists for idempotency key {}: answered again", request.jobName(),
                    id, request.idempotencyKey());
        } else {
            decisions.decided(ExecutionDecision.queued(created.getMetadata().getLabels().get(Labels.JOB), id,
                    created.getMetadata().getName(),
                    request.door().tag(), Instant.parse(created.getMetadata().getAnnotations().get(Labels.ENQUEUED_AT))));
        }
        return new TriggerAccepted(id, created == null);
    }

}
