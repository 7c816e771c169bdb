package io.slimjobs.kube;

import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStateWaitingBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

/**
 * What the Job and pod caches keep of each object: only the fields SlimJobs reads. A whole Job carries its pod
 * template (image, args, env, volumes, resources) and a pod its spec, managed fields and status details, none of
 * which is read after creation; with thousands of finished executions kept for their TTL, they are most of the heap.
 * Objects are slimmed once, when the informer stores them, so reads cost what they did. Every index function and
 * every reader of a cached Job or pod must read nothing else (the test of this class lists what is kept).
 */
final class CachedFields {

    private static final Predicate<String> OWN_LABEL =
            key -> key.equals(Labels.MANAGED_BY) || key.equals(Labels.JOB) || key.equals(Labels.ID);
    /** SlimJobs' own annotations: the enqueue time, DependsOn, the failure reason, the callback and event marks. */
    private static final Predicate<String> OWN_ANNOTATION = key -> key.startsWith("slimjobs.io/");

    private CachedFields() {
    }

    /** A store for a Job informer that keeps {@link #job} of each Job. */
    static ItemStore<Job> jobStore() {
        return new SlimmingStore<>(CachedFields::job);
    }

    /** A store for a pod informer that keeps {@link #pod} of each pod. */
    static ItemStore<Pod> podStore() {
        return new SlimmingStore<>(CachedFields::pod);
    }

    /**
     * Identity, labels and SlimJobs' annotations; {@code suspend}; the times, the failed pod count and the
     * conditions (type, status, message, transition time) that say where the Job stands.
     */
    static Job job(Job job) {
        JobBuilder slim = new JobBuilder().withMetadata(metadata(job.getMetadata(), OWN_ANNOTATION))
                .withNewSpec().withSuspend(job.getSpec() == null ? null : job.getSpec().getSuspend()).endSpec();
        JobStatus status = job.getStatus();
        if (status != null) {
            slim.withNewStatus()
                    .withStartTime(status.getStartTime())
                    .withCompletionTime(status.getCompletionTime())
                    .withFailed(status.getFailed())
                    .withConditions(status.getConditions() == null ? null
                            : status.getConditions().stream().map(CachedFields::condition).toList())
                    .endStatus();
        }
        return slim.build();
    }

    private static JobCondition condition(JobCondition condition) {
        return new JobConditionBuilder().withType(condition.getType()).withStatus(condition.getStatus())
                .withMessage(condition.getMessage()).withLastTransitionTime(condition.getLastTransitionTime())
                .build();
    }

    /**
     * Identity, labels (no annotations), {@code hostNetwork}, the phase and IPs that say whether it is a trusted
     * caller and, for an execution's pod, how its containers wait or ended.
     */
    static Pod pod(Pod pod) {
        ObjectMeta metadata = metadata(pod.getMetadata(), key -> false);
        PodBuilder slim = new PodBuilder().withMetadata(metadata);
        if (pod.getSpec() != null && pod.getSpec().getHostNetwork() != null) {
            slim.withNewSpec().withHostNetwork(pod.getSpec().getHostNetwork()).endSpec();
        }
        PodStatus status = pod.getStatus();
        if (status != null) {
            boolean ofExecution = metadata.getLabels() != null && metadata.getLabels().containsKey(Labels.ID);
            slim.withNewStatus()
                    .withPhase(status.getPhase())
                    .withPodIP(status.getPodIP())
                    .withPodIPs(status.getPodIPs())
                    .withContainerStatuses(!ofExecution || status.getContainerStatuses() == null ? null
                            : status.getContainerStatuses().stream().map(CachedFields::container).toList())
                    .endStatus();
        }
        return slim.build();
    }

    private static ContainerStatus container(ContainerStatus container) {
        return new ContainerStatusBuilder().withImage(container.getImage())
                .withState(state(container.getState())).withLastState(state(container.getLastState())).build();
    }

    private static ContainerState state(ContainerState state) {
        if (state == null) {
            return null;
        }
        ContainerStateWaiting waiting = state.getWaiting();
        ContainerStateTerminated terminated = state.getTerminated();
        return new ContainerStateBuilder()
                .withTerminated(terminated == null ? null : new ContainerStateTerminatedBuilder()
                        .withExitCode(terminated.getExitCode()).withReason(terminated.getReason())
                        .withFinishedAt(terminated.getFinishedAt()).build())
                .withWaiting(waiting == null ? null
                        : new ContainerStateWaitingBuilder().withReason(waiting.getReason()).build())
                .build();
    }

    /** The cache key's fields, what identifies and versions the object, and the labels and annotations read. */
    private static ObjectMeta metadata(ObjectMeta metadata, Predicate<String> annotationKept) {
        return new ObjectMetaBuilder()
                .withName(metadata.getName())
                .withNamespace(metadata.getNamespace())
                .withUid(metadata.getUid())
                .withResourceVersion(metadata.getResourceVersion())
                .withCreationTimestamp(metadata.getCreationTimestamp())
                .withLabels(only(metadata.getLabels(), OWN_LABEL))
                .withAnnotations(only(metadata.getAnnotations(), annotationKept))
                .build();
    }

    private static Map<String, String> only(Map<String, String> entries, Predicate<String> kept) {
        if (entries == null) {
            return null;
        }
        Map<String, String> slim = entries.entrySet().stream().filter(entry -> kept.test(entry.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        return slim.isEmpty() ? null : slim;
    }

    /**
     * An informer's store that keeps a slimmed copy of what it is given. The informer indexes the object it was
     * given and, on a later update or delete, unindexes the stored copy: index functions read only kept fields, so
     * both give the same keys. Event handlers get the object as received for an add, update or delete.
     */
    private static final class SlimmingStore<T extends HasMetadata> implements ItemStore<T> {

        private final BasicItemStore<T> store = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
        private final UnaryOperator<T> slim;

        SlimmingStore(UnaryOperator<T> slim) {
            this.slim = slim;
        }

        @Override
        public String getKey(T object) {
            return store.getKey(object);
        }

        @Override
        public T put(String key, T object) {
            return store.put(key, slim.apply(object));
        }

        @Override
        public T remove(String key) {
            return store.remove(key);
        }

        @Override
        public Stream<String> keySet() {
            return store.keySet();
        }

        @Override
        public Stream<T> values() {
            return store.values();
        }

        @Override
        public int size() {
            return store.size();
        }

        @Override
        public T get(String key) {
            return store.get(key);
        }
    }
}
