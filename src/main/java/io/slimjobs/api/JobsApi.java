package io.slimjobs.api;

import java.time.Clock;
import java.util.List;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.slimjobs.config.Definitions;
import io.slimjobs.config.JobDefinition;
import io.slimjobs.config.JobsConfiguration;
import io.slimjobs.config.Visibility;
import io.slimjobs.error.NotFoundException;
import io.slimjobs.kube.ExecutionDetail;
import io.slimjobs.kube.ExecutionView;
import io.slimjobs.kube.JobIndex;
import io.slimjobs.kube.SerializedJson;
import io.slimjobs.observe.ExecutionDecision;
import io.slimjobs.observe.ExecutionDecisions;
import io.slimjobs.schedule.ScheduleViews;
import io.slimjobs.security.CallerTrust;
import io.slimjobs.security.VisibilityGuard;
import io.vertx.core.net.SocketAddress;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;

/** What the HTTP API routes call: each method checks the name and the caller's right first, then reads caches. */
public final class JobsApi {

    public static final String TRUSTED_CALLER = "slimjobsTrustedCaller";

    private final Definitions definitions;
    private final JobIndex jobs;
    private final CallerTrust callerTrust;
    private final ScheduleViews schedules;
    private final KubernetesClient client;
    private final String namespace;
    private final ExecutionDecisions decisions;
    private final Clock clock;

    public JobsApi(Definitions definitions, JobIndex jobs, CallerTrust callerTrust, ScheduleViews schedules,
                   KubernetesClient client, String namespace, ExecutionDecisions decisions, Clock clock) {
        this.definitions = definitions;
        this.jobs = jobs;
        this.callerTrust = callerTrust;
        this.schedules = schedules;
        this.client = client;
        this.namespace = namespace;
        this.decisions = decisions;
        this.clock = clock;
    }

    public boolean trustedCaller(@Header(VertxPlatformHttpConstants.REMOTE_ADDRESS) SocketAddress peer,
                                 @Header("X-Forwarded-For") String forwardedFor) {
        return peer != null && callerTrust.isTrusted(peer.host(), forwardedFor);
    }

    public SerializedJson list(@Header("name") String name, @ExchangeProperty(TRUSTED_CALLER) boolean trusted) {
        return jobs.executionsJson(visibleJob(name, trusted));
    }

    /** One execution with how it ended; 404 for an Id this job does not have. */
    public ExecutionDetail execution(@Header("name") String name, @Header("id") String id,
                                     @ExchangeProperty(TRUSTED_CALLER) boolean trusted) {
        String jobName = visibleJob(name, trusted);
        return jobs.executionDetail(jobName, id).orElseThrow(() -> unknownExecution(jobName, id));
    }

    /**
     * Deletes a queued, running or finished execution, answering from what the API server did. The Job goes at
     * once (background propagation: the garbage collector then removes its pods), so of concurrent deletions only
     * one finds it; fabric8 answers the others' 404 with an empty list.
     */
    public DeletedExecution delete(@Header("name") String name, @Header("id") String id,
                                      @ExchangeProperty(TRUSTED_CALLER) boolean trusted) {
        String jobName = visibleJob(name, trusted);
        ExecutionView execution = jobs.execution(jobName, id).orElseThrow(() -> unknownExecution(jobName, id));
        boolean deleted = !client.batch().v1().jobs().inNamespace(namespace).withName(execution.name())
                .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete().isEmpty();
        if (!deleted) {
            throw unknownExecution(jobName, id);
        }
        decisions.decided(ExecutionDecision.deleted(execution, clock.instant()));
        return new DeletedExecution(execution.id(), execution.name());
    }

    private static NotFoundException unknownExecution(String jobName, String id) {
        return new NotFoundException("job '" + jobName + "' has no execution with Id '" + id + "'");
    }

    /** Every definition the caller may see, with its schedules (every source) and its executions not finished. */
    public List<JobStatus> status(@ExchangeProperty(TRUSTED_CALLER) boolean trusted) {
        JobsConfiguration configuration = definitions.forRequest();
        return configuration.definitions().entrySet().stream()
                .filter(entry -> trusted || entry.getValue().visibility() == Visibility.Public)
                .map(entry -> status(entry.getKey(), entry.getValue()))
                .toList();
    }

    private JobStatus status(String name, JobDefinition definition) {
        return new JobStatus(name, definition.visibility(), definition.image(), definition.imagesWhitelist(),
                definition.numberParallelJob(), definition.resources(), definition.dependsOn(), schedules.of(name),
                jobs.unfinishedExecutions(name));
    }

    private String visibleJob(String name, boolean trusted) {
        return VisibilityGuard.visibleJob(name, definitions.forRequest(), trusted);
    }
}
