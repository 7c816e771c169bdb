package io.slimjobs.trigger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.slimjobs.config.Definitions;
import io.slimjobs.config.JobDefinition;
import io.slimjobs.config.JobsConfiguration;
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
import org.apache.camel.component.kubernetes.KubernetesConstants;
import org.apache.camel.util.ObjectHelper;
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
    private final String namespace;
    private final CallbackUrls callbackUrls;
    private final ExecutionDecisions decisions;

    public TriggerSteps(Definitions definitions, JobFactory jobFactory, JobIndex jobs, InputSecrets inputSecrets,
                        String namespace, CallbackUrls callbackUrls, ExecutionDecisions decisions) {
        this.definitions = definitions;
        this.callbackUrls = callbackUrls;
        this.decisions = decisions;
        this.jobFactory = jobFactory;
        this.jobs = jobs;
        this.inputSecrets = inputSecrets;
        this.namespace = namespace;
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
     * The suspended Job, as the headers of the kubernetes-job `createJob` operation. With an idempotency key, the
     * execution Id, and so the Job name, derive from the job name and the key: a repeat meets the Job made first.
     */
    public void kubernetesJob(ExecutionPlan plan, @ExchangeProperty(REQUEST_PROPERTY) TriggerRequest request,
                              Exchange exchange) {
        String key = request.idempotencyKey();
        String id = key == null ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes((plan.jobName() + "\n" + key).getBytes(StandardCharsets.UTF_8)).toString();
        exchange.setProperty(EXECUTION_ID_PROPERTY, id);
        Job job = jobFactory.build(plan, id, key);
        if (plan.hasInput()) {
            exchange.setProperty(INPUT_SECRET_PROPERTY, jobFactory.inputSecret(job, plan));
        }
        exchange.getMessage().setHeader(KubernetesConstants.KUBERNETES_NAMESPACE_NAME, namespace);
        exchange.getMessage().setHeader(KubernetesConstants.KUBERNETES_JOB_NAME, job.getMetadata().getName());
        exchange.getMessage().setHeader(KubernetesConstants.KUBERNETES_JOB_LABELS, job.getMetadata().getLabels());
        exchange.getMessage().setHeader(KubernetesConstants.KUBERNETES_JOB_ANNOTATIONS,
                job.getMetadata().getAnnotations());
        exchange.getMessage().setHeader(KubernetesConstants.KUBERNETES_JOB_SPEC, job.getSpec());
    }

    /** Creates the input Secret, if the execution has input files, before its Job can exist. */
    public void createInput(@ExchangeProperty(INPUT_SECRET_PROPERTY) Secret input,
                            @ExchangeProperty(REQUEST_PROPERTY) TriggerRequest request) {
        if (input != null) {
            inputSecrets.create(input, request.idempotencyKey() != null);
        }
    }

    /** The Job create failed: its input Secret goes, then the failure goes back to the door. */
    public void discardInput(@ExchangeProperty(INPUT_SECRET_PROPERTY) Secret input,
                             @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) throws Exception {
        if (input != null) {
            inputSecrets.discard(input);
        }
        throw failure;
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

    /**
     * Whether the create failed only because a request with the same idempotency key already made the Job. A plain
     * predicate, since a bean method called from `onWhen` sees the exchange without its exception.
     */
    public static boolean isRepeat(Exchange exchange) {
        TriggerRequest request = exchange.getProperty(REQUEST_PROPERTY, TriggerRequest.class);
        KubernetesClientException refused =
                ObjectHelper.getException(KubernetesClientException.class, exchange.getException());
        return request.idempotencyKey() != null && refused != null && refused.getCode() == 409;
    }
}
