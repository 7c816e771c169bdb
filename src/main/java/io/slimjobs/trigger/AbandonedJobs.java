package io.slimjobs.trigger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.slimjobs.kube.ExecutionView;
import io.slimjobs.kube.JobIndex;
import io.slimjobs.kube.Labels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs whose trigger answered 503 while their create was still on its way: their caller was told that nothing was
 * made, so they must never run. Two rules find them. Durable, on any replica: the API server created the Job at or
 * after the instant its trigger gave up ({@link Labels#ANSWER_BY}), give or take the clock skew allowed between
 * SlimJobs and the API server. In memory, on the replica that gave up: a Job created just before that instant, whose
 * answer came too late, looks like any other to the API server's clock, so that replica remembers it for a while.
 */
public final class AbandonedJobs {

    /** The registry name the routes call it by. */
    public static final String BEAN = "abandonedJobs";
    private static final Logger LOG = LoggerFactory.getLogger(AbandonedJobs.class);
    /**
     * How long this replica remembers a Job it gave up on: a late create lands within fabric8's retries of one
     * request (a few times the trigger timeout), far less than this.
     */
    private static final Duration MEMORY = Duration.ofMinutes(5);

    private final KubernetesClient client;
    private final String namespace;
    private final JobIndex jobs;
    private final Clock clock;
    private final Duration clockSkew;
    /** The Jobs this replica gave up on, by object name: the answer-by of the trigger that did, and until when. */
    private final Map<String, Given> givenUp = new ConcurrentHashMap<>();

    private record Given(String answerBy, Instant forgetAt) {
    }

    /**
     * @param clockSkew how far the API server's clock may run ahead of SlimJobs': a Job created less than this after
     *                  its answer-by is left to the in-memory rule, so that no accepted Job is taken for a late one
     */
    public AbandonedJobs(KubernetesClient client, String namespace, JobIndex jobs, Clock clock, Duration clockSkew) {
        this.client = client;
        this.namespace = namespace;
        this.jobs = jobs;
        this.clock = clock;
        this.clockSkew = clockSkew;
    }

    /** The trigger that was to create this Job answered 503 while its create was in flight. */
    public void gaveUp(Job job) {
        givenUp.put(job.getMetadata().getName(),
                new Given(answerBy(job).orElse(""), clock.instant().plus(MEMORY)));
        LOG.warn("Job {} was not created in time: its caller was told 503, so it is deleted if it appears",
                job.getMetadata().getName());
    }

    /** Whether this Job must never run: it is one a trigger gave up on. */
    public boolean mustNotRun(Job job) {
        Optional<String> answerBy = answerBy(job);
        if (answerBy.isEmpty()) {
            return false;
        }
        Given given = givenUp.get(job.getMetadata().getName());
        if (given != null && given.answerBy().equals(answerBy.get())) {
            return true;
        }
        try {
            // creationTimestamp is in whole seconds, rounded down: a Job it puts at or after the limit was made after
            Instant created = Instant.parse(job.getMetadata().getCreationTimestamp());
            return !created.isBefore(Instant.parse(answerBy.get()).plus(clockSkew));
        } catch (DateTimeParseException | NullPointerException e) {
            return false;
        }
    }

    /**
     * Deletes the cached Job of that name if it must never run; true if it must not, whether or not the delete went
     * through (the next pass tries again).
     */
    public boolean discard(String objectName) {
        Optional<Job> abandoned = jobs.job(objectName).filter(this::mustNotRun);
        abandoned.ifPresent(this::delete);
        return abandoned.isPresent();
    }

    /** The same for a queued execution about to be released: true when it must not be. */
    public boolean discard(ExecutionView execution) {
        return discard(execution.name());
    }

    /** Deletes the Jobs this replica gave up on that its cache now shows, and forgets those remembered long enough. */
    public void sweep() {
        Instant now = clock.instant();
        givenUp.entrySet().removeIf(entry -> now.isAfter(entry.getValue().forgetAt()));
        givenUp.keySet().forEach(this::discard);
    }

    private void delete(Job job) {
        String name = job.getMetadata().getName();
        try {
            client.batch().v1().jobs().inNamespace(namespace).withName(name).delete();
            LOG.info("Job {} was created after its caller was told 503: deleted, never run", name);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return;
            }
            LOG.warn("Job {}, created after its caller was told 503, could not be deleted yet: {}", name,
                    e.getMessage());
        }
    }

    private static Optional<String> answerBy(Job job) {
        Map<String, String> annotations = job.getMetadata().getAnnotations();
        return Optional.ofNullable(annotations == null ? null : annotations.get(Labels.ANSWER_BY));
    }
}
