package io.slimjobs.queue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.slimjobs.Json;
import io.slimjobs.kube.Dependency;
import io.slimjobs.kube.DependencyIndex;
import io.slimjobs.kube.ExecutionView;
import io.slimjobs.kube.JobIndex;
import io.slimjobs.kube.Labels;
import io.slimjobs.kube.Named;
import io.slimjobs.kube.WakeMark;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes sleeping dependencies and puts them back to sleep. A Deployment or StatefulSet at 0 replicas that opts in
 * (`slimjobs.io/wake-on-demand: "true"`) is scaled up, through its scale subresource, while executions that need it
 * are queued or running; once none does and its idle delay has passed, it is scaled back to 0. Only what SlimJobs
 * woke goes back to sleep: the wake mark on the object says so, and it is forgotten as soon as the replicas differ
 * from what SlimJobs set, because then a person scaled it.
 */
final class DependencyScaler {

    private static final Logger LOG = LoggerFactory.getLogger(DependencyScaler.class);
    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

    private final KubernetesClient client;
    private final String namespace;
    private final DependencyIndex dependencies;
    private final JobIndex jobs;

    DependencyScaler(KubernetesClient client, String namespace, DependencyIndex dependencies, JobIndex jobs) {
        this.client = client;
        this.namespace = namespace;
        this.dependencies = dependencies;
        this.jobs = jobs;
    }

    /** Wakes every opted-in dependency at 0 replicas that one of these unfinished executions needs. */
    void wakeFor(List<ExecutionView> executions) {
        for (ExecutionView execution : executions) {
            for (String name : execution.dependsOn()) {
                dependencies.find(name).filter(d -> d.replicas() == 0 && d.wakesOnDemand())
                        .ifPresent(dependency -> wake(dependency, execution));
            }
        }
    }

    /**
     * Scales, then marks, and on the way down unmarks, then scales: each step is one event, and the states in
     * between (up without a mark) never make a pass scale anything. A crash in between leaves the dependency up and
     * unmarked, which SlimJobs then leaves alone: it never scales down what it cannot prove it woke.
     */
    private void wake(Dependency dependency, ExecutionView execution) {
        int replicas = dependency.wakeReplicas();
        try {
            mark(dependency, new WakeMark(replicas, null), scale(dependency, replicas, null));
            LOG.info("Execution {} ({}) needs {} {}, which was at 0 replicas: scaled up to {}", execution.id(),
                    execution.name(), dependency.kind(), dependency.name(), replicas);
        } catch (KubernetesClientException e) {
            LOG.warn("Execution {} ({}) needs {} {}, which could not be woken; the next pass retries: {}",
                    execution.id(), execution.name(), dependency.kind(), dependency.name(), e.getMessage());
        }
    }

    /**
     * Puts back to 0 every dependency SlimJobs woke that no unfinished execution needs any more and whose idle delay,
     * counted from when the last one stopped needing it, has passed.
     *
     * @return when the next idle delay ends, for a re-check: no event marks it
     */
    Optional<Instant> sleepIdle(Instant now) {
        Instant next = null;
        for (Dependency dependency : dependencies.woken()) {
            try {
                Instant due = sleepIfIdle(dependency, dependency.wakeMark().orElseThrow(), now);
                if (due != null && (next == null || due.isBefore(next))) {
                    next = due;
                }
            } catch (KubernetesClientException e) {
                // a 409: the object changed since this pass read it, and that change's event brings the next pass
                if (e.getCode() != 409) {
                    LOG.warn("{} {} could not be put back to sleep; the next pass retries: {}", dependency.kind(),
                            dependency.name(), e.getMessage());
                }
            }
        }
        return Optional.ofNullable(next);
    }

    private Instant sleepIfIdle(Dependency dependency, WakeMark mark, Instant now) {
        if (dependency.replicas() != mark.replicas()) {
            mark(dependency, null, dependency.resourceVersion());
            LOG.info("{} {} was scaled to {} replicas by someone else since SlimJobs woke it to {}: SlimJobs will "
                    + "not scale it down", dependency.kind(), dependency.name(), dependency.replicas(),
                    mark.replicas());
            return null;
        }
        boolean needed = !jobs.jobNamesDependingOn(dependency.name()).isEmpty();
        if (needed) {
            if (mark.lastNeeded() != null) {
                mark(dependency, mark.neededUntil(null), dependency.resourceVersion());
            }
            return null;
        }
        if (mark.lastNeeded() == null) {
            mark(dependency, mark.neededUntil(now), dependency.resourceVersion());
            return now.plus(dependency.idleDelay());
        }
        Instant due = mark.lastNeeded().plus(dependency.idleDelay());
        if (now.isBefore(due)) {
            return due;
        }
        // conditional on the version unmarked: a person scaling it meanwhile makes this a 409, and it stays up
        scale(dependency, 0, mark(dependency, null, dependency.resourceVersion()));
        LOG.info("{} {} scaled back to 0: no execution has needed it since {}", dependency.kind(), dependency.name(),
                mark.lastNeeded());
        return null;
    }

    /**
     * Writes the mark, or removes it ({@code null}: a merge patch deletes a key set to null), conditional on the
     * version the decision was taken on, so that it never lands on a state that was not weighed.
     *
     * @return the object's version after the write
     */
    private String mark(Dependency dependency, WakeMark mark, String resourceVersion) {
        ObjectNode patch = Json.MAPPER.createObjectNode();
        ObjectNode metadata = patch.putObject("metadata");
        metadata.put("resourceVersion", resourceVersion);
        ObjectNode annotations = metadata.putObject("annotations");
        if (mark == null) {
            annotations.putNull(Labels.WOKEN);
        } else {
            annotations.put(Labels.WOKEN, mark.toAnnotation());
        }
        return object(dependency).patch(MERGE, patch.toString()).getMetadata().getResourceVersion();
    }

    /**
     * Sets the replicas through the scale subresource, conditional on a version if one is given.
     *
     * @return the object's version after the write
     */
    private String scale(Dependency dependency, int replicas, String resourceVersion) {
        Map<String, Object> patch = new HashMap<>();
        patch.put("spec", Map.of("replicas", replicas));
        if (resourceVersion != null) {
            patch.put("metadata", Map.of("resourceVersion", resourceVersion));
        }
        return object(dependency).subresource("scale").patch(MERGE, json(patch)).getMetadata().getResourceVersion();
    }

    private Resource<? extends HasMetadata> object(Dependency dependency) {
        return dependency.kind() == Dependency.Kind.DEPLOYMENT
                ? client.apps().deployments().inNamespace(namespace)
                        .resource(Named.object(Deployment.class, dependency.name()))
                : client.apps().statefulSets().inNamespace(namespace)
                        .resource(Named.object(StatefulSet.class, dependency.name()));
    }

    private static String json(Map<String, Object> patch) {
        try {
            return Json.MAPPER.writeValueAsString(patch);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
