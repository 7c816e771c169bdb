package io.slimjobs.trigger;

import java.time.Duration;
import java.util.UUID;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slimjobs.config.Definitions;
import io.slimjobs.config.JobDefinition;
import io.slimjobs.config.JobsConfiguration;
import io.slimjobs.kube.JobFactory;
import io.slimjobs.kube.JobIndex;
import io.slimjobs.kube.Labels;
import io.slimjobs.kube.Names;
import io.slimjobs.security.VisibilityGuard;
import org.apache.camel.Exchange;
import org.apache.camel.component.kubernetes.KubernetesConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The steps of the `trigger` route, in route order. */
public final class TriggerSteps {

    private static final Logger LOG = LoggerFactory.getLogger(TriggerSteps.class);

    /** Exchange property holding the definition a trigger runs under, for metrics. */
    public static final String DEFINITION_PROPERTY = "slimjobsDefinition";

    /** How long an accepted trigger waits for its Job to reach the cache before answering anyway. */
    private static final Duration CACHE_WAIT = Duration.ofSeconds(2);

    private final Definitions definitions;
    private final JobFactory jobFactory;
    private final JobIndex jobs;
    private final String namespace;

    public TriggerSteps(Definitions definitions, JobFactory jobFactory, JobIndex jobs, String namespace) {
        this.definitions = definitions;
        this.jobFactory = jobFactory;
        this.jobs = jobs;
        this.namespace = namespace;
    }

    /** Name rules, visibility, then the overrides against the definition's guard rails. */
    public ExecutionPlan plan(TriggerRequest request, Exchange exchange) {
        String jobName = Names.jobName(request.jobName());
        JobsConfiguration configuration = definitions.current();
        JobDefinition definition = configuration.definitionFor(jobName);
        exchange.setProperty(DEFINITION_PROPERTY,
                configuration.definitions().containsKey(jobName) ? jobName : JobsConfiguration.DEFAULT);
        VisibilityGuard.check(jobName, definition, request.trustedCaller());
        return GuardRails.apply(jobName, definition,
                OverridesReader.read(request.overridesJson(), request.contentType()));
    }

    /** The suspended Job, as the headers of the kubernetes-job `createJob` operation. */
    public void kubernetesJob(ExecutionPlan plan, Exchange exchange) {
        Job job = jobFactory.build(plan, UUID.randomUUID().toString());
        exchange.getMessage().setHeader(KubernetesConstants.KUBERNETES_NAMESPACE_NAME, namespace);
        exchange.getMessage().setHeader(KubernetesConstants.KUBERNETES_JOB_NAME, job.getMetadata().getName());
        exchange.getMessage().setHeader(KubernetesConstants.KUBERNETES_JOB_LABELS, job.getMetadata().getLabels());
        exchange.getMessage().setHeader(KubernetesConstants.KUBERNETES_JOB_ANNOTATIONS,
                job.getMetadata().getAnnotations());
        exchange.getMessage().setHeader(KubernetesConstants.KUBERNETES_JOB_SPEC, job.getSpec());
    }

    /** Answers once the new execution is listed, so a caller polling right after sees it. */
    public TriggerAccepted accepted(Job created) {
        String id = created.getMetadata().getLabels().get(Labels.ID);
        jobs.awaitCached(id, CACHE_WAIT);
        LOG.info("Job {} execution {} queued ({})", created.getMetadata().getLabels().get(Labels.JOB), id,
                created.getMetadata().getName());
        return new TriggerAccepted(id);
    }
}
