package io.slimjobs.api;

import java.util.Optional;
import java.util.function.BooleanSupplier;

import io.slimjobs.kube.CronJobIndex;
import io.slimjobs.kube.JobIndex;
import io.slimjobs.kube.PodIndex;
import io.slimjobs.queue.Dispatcher;
import io.slimjobs.queue.LeaseLeadership;
import org.apache.camel.Exchange;

/**
 * Readiness: the informer caches that every answer is served from (Jobs, pods, schedules) hold the cluster's state,
 * and the job definitions of the namespace's CronJobs are known (before, a trigger would run a name a CronJob defines
 * under `Default`). Liveness: the dispatcher still runs; a stopped one releases nothing any more, and only a restart
 * brings it back. Both are this replica's own: readiness also says whether it is the leader, but every replica serves
 * the API.
 */
public final class Readiness {

    private final JobIndex jobs;
    private final PodIndex pods;
    private final CronJobIndex cronJobs;
    private final BooleanSupplier schedulesSynced;
    private final Dispatcher dispatcher;
    private final LeaseLeadership leadership;

    public Readiness(JobIndex jobs, PodIndex pods, CronJobIndex cronJobs, BooleanSupplier schedulesSynced,
                     Dispatcher dispatcher, LeaseLeadership leadership) {
        this.jobs = jobs;
        this.pods = pods;
        this.cronJobs = cronJobs;
        this.schedulesSynced = schedulesSynced;
        this.dispatcher = dispatcher;
        this.leadership = leadership;
    }

    /** Whether this replica may take requests, with a `message` when the dispatcher stopped or the CronJobs cannot be read. */
    public Health check(Exchange exchange) {
        Optional<String> problem = dispatcherStopped().or(cronJobs::readProblem);
        boolean up = problem.isEmpty() && cronJobs.hasSynced() && jobs.hasSynced() && pods.hasSynced()
                && schedulesSynced.getAsBoolean();
        return answer(exchange, new Health(up ? "UP" : "DOWN", problem.orElse(null), leadership.leads()));
    }

    public Health live(Exchange exchange) {
        Optional<String> problem = dispatcherStopped();
        return answer(exchange, new Health(problem.isEmpty() ? "UP" : "DOWN", problem.orElse(null), null));
    }

    private Optional<String> dispatcherStopped() {
        return dispatcher.stoppedBy().map(cause -> "the dispatcher stopped (" + cause
                + "); no queued execution is released until SlimJobs restarts");
    }

    private static Health answer(Exchange exchange, Health health) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, health.up() ? 200 : 503);
        return health;
    }
}
