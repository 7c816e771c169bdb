package io.slimjobs.queue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.slimjobs.config.JobsConfiguration;
import io.slimjobs.kube.ExecutionStatus;
import io.slimjobs.kube.ExecutionView;
import io.slimjobs.kube.JobIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits queued executions: per job name, releases the oldest suspended Jobs while fewer than
 * `NumberParallelJob` executions are pending or running. One loop reconciles job names taken from a
 * deduplicating queue fed by Job events and a periodic resync; each pass reads state from the {@link JobIndex}
 * only, so it is level-triggered and safe to run twice.
 */
public final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final String RELEASE_PATCH = "{\"spec\":{\"suspend\":false}}";

    /** Why a queued execution is not released (more reasons come with dependency gating). */
    enum WaitReason {
        NO_FREE_SLOT
    }

    private final KubernetesClient client;
    private final String namespace;
    private final JobIndex jobs;
    private final JobsConfiguration configuration;
    private final BlockingQueue<String> pending = new LinkedBlockingQueue<>();
    private final Set<String> pendingNames = ConcurrentHashMap.newKeySet();
    /**
     * Executions released but not yet seen unsuspended in the cache, by job name: counted as active so that
     * the next pass cannot hand out the same slot twice.
     */
    private final Map<String, Set<String>> assumed = new ConcurrentHashMap<>();

    public Dispatcher(KubernetesClient client, String namespace, JobIndex jobs, JobsConfiguration configuration) {
        this.client = client;
        this.namespace = namespace;
        this.jobs = jobs;
        this.configuration = configuration;
    }

    /** Asks for a pass over one job name; a name already waiting for its pass is not queued twice. */
    public void enqueue(String jobName) {
        if (pendingNames.add(jobName)) {
            pending.add(jobName);
        }
    }

    /** The safety net: a pass over every job name, whatever events were missed. */
    public void resyncAll() {
        jobs.jobNames().forEach(this::enqueue);
    }

    public void start(ExecutorService executor) {
        executor.submit(this::run);
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                String jobName = pending.take();
                pendingNames.remove(jobName);
                try {
                    reconcile(jobName);
                } catch (RuntimeException e) {
                    LOG.error("Dispatch of job {} failed; the next event or resync retries it", jobName, e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void reconcile(String jobName) {
        if (!jobs.hasSynced()) {
            return;
        }
        List<ExecutionView> executions = jobs.unfinishedExecutions(jobName);
        Set<String> released = assumed.computeIfAbsent(jobName, name -> ConcurrentHashMap.newKeySet());
        released.retainAll(executions.stream()
                .filter(e -> e.status() == ExecutionStatus.Queued).map(ExecutionView::id).toList());

        long active = executions.stream().filter(e -> e.status().holdsSlot()).count() + released.size();
        int free = configuration.definitionFor(jobName).numberParallelJob() - (int) active;
        for (ExecutionView execution : executions) {
            if (execution.status() != ExecutionStatus.Queued || released.contains(execution.id())) {
                continue;
            }
            if (free <= 0) {
                LOG.debug("Job {} execution {} waits: {}", jobName, execution.id(), WaitReason.NO_FREE_SLOT);
                break;
            }
            released.add(execution.id());
            if (release(jobName, execution)) {
                free--;
            } else {
                released.remove(execution.id());
            }
        }
    }

    private boolean release(String jobName, ExecutionView execution) {
        try {
            client.batch().v1().jobs().inNamespace(namespace).withName(execution.name())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), RELEASE_PATCH);
            LOG.info("Job {} execution {} released ({})", jobName, execution.id(), execution.name());
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                LOG.debug("Job {} execution {} was deleted before its release", jobName, execution.id());
            } else {
                LOG.error("Job {} execution {} could not be released; the next resync retries it", jobName,
                        execution.id(), e);
            }
            return false;
        }
    }
}
