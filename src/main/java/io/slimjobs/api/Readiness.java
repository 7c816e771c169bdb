package io.slimjobs.api;

import java.util.LinkedHashMap;
import java.util.Map;
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

    /**
     * `{"status": "UP"|"DOWN", "Leader": true|false}`, with a `message` when the dispatcher stopped or the CronJobs
     * cannot be read.
     */
    public Map<String, Object> check(Exchange exchange) {
        Optional<String> problem = dispatcherStopped().or(cronJobs::readProblem);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", problem.isEmpty() && cronJobs.hasSynced() && jobs.hasSynced() && pods.hasSynced()
                && schedulesSynced.getAsBoolean() ? "UP" : "DOWN");
        problem.ifPresent(message -> body.put("message", message));
        body.put("Leader", leadership.leads());
        return answer(exchange, body);
    }

    public Map<String, String> live(Exchange exchange) {
        return answer(exchange, dispatcherStopped().map(message -> Map.of("status", "DOWN", "message", message))
                .orElse(Map.of("status", "UP")));
    }

    private Optional<String> dispatcherStopped() {
        return dispatcher.stoppedBy().map(cause -> "the dispatcher stopped (" + cause
                + "); no queued execution is released until SlimJobs restarts");
    }

    private static <T extends Map<String, ?>> T answer(Exchange exchange, T body) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, "UP".equals(body.get("status")) ? 200 : 503);
        return body;
    }
}
