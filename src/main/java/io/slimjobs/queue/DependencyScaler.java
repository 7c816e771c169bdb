package io.slimjobs.queue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
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
     * Marks, then scales: a crash in between leaves a mark whose replicas differ from the object's, which is then
     * forgotten; the other order could leave a woken object nobody puts back to sleep.
     */
    private void wake(Dependency dependency, ExecutionView execution) {
        int replicas = dependency.wakeReplicas();
        try {
            mark(dependency, new WakeMark(replicas, null));
            scale(dependency, replicas, null);
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
                LOG.warn("{} {} could not be put back to sleep; the next pass retries: {}", dependency.kind(),
                        dependency.name(), e.getMessage());
            }
        }
        return Optional.ofNullable(next);
    }

    private Instant sleepIfIdle(Dependency dependency, WakeMark mark, Instant now) {
        if (dependency.replicas() != mark.replicas()) {
            mark(dependency, null);
            LOG.info("{} {} was scaled to {} replicas by someone else since SlimJobs woke it to {}: SlimJobs will "
                    + "not scale it down", dependency.kind(), dependency.name(), dependency.replicas(), mark.replicas());
            return null;
        }
        boolean needed = !jobs.jobNamesDependingOn(dependency.name()).isEmpty();
        if (needed) {
            if (mark.lastNeeded() != null) {
                mark(dependency, mark.neededUntil(null));
            }
            return null;
        }
        if (mark.lastNeeded() == null) {
            mark(dependency, mark.neededUntil(now));
            return now.plus(dependency.idleDelay());
        }
        Instant due = mark.lastNeeded().plus(dependency.idleDelay());
        if (now.isBefore(due)) {
            return due;
        }
        // conditional on the version read: a person scaling it meanwhile makes this a 409, and the next pass sees it
        scale(dependency, 0, dependency.resourceVersion());
        mark(dependency, null);
        LOG.info("{} {} scaled back to 0: no execution has needed it since {}", dependency.kind(), dependency.name(),
                mark.lastNeeded());
        return null;
    }

    private void mark(Dependency dependency, WakeMark mark) {
        Map<String, Object> annotations = new HashMap<>();
        annotations.put(Labels.WOKEN, mark == null ? null : mark.toAnnotation());
        object(dependency).patch(MERGE, json(Map.of("metadata", Map.of("annotations", annotations))));
    }

    private void scale(Dependency dependency, int replicas, String resourceVersion) {
        Map<String, Object> patch = new HashMap<>();
        patch.put("spec", Map.of("replicas", replicas));
        if (resourceVersion != null) {
            patch.put("metadata", Map.of("resourceVersion", resourceVersion));
        }
        object(dependency).subresource("scale").patch(MERGE, json(patch));
    }

    private Resource<?> object(Dependency dependency) {
        return dependency.kind() == Dependency.Kind.DEPLOYMENT
                ? client.apps().deployments().inNamespace(namespace).withName(dependency.name())
                : client.apps().statefulSets().inNamespace(namespace).withName(dependency.name());
    }

    private static String json(Map<String, Object> patch) {
        try {
            return Json.MAPPER.writeValueAsString(patch);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
