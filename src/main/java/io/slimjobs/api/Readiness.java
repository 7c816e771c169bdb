package io.slimjobs.api;

import java.util.Map;
import java.util.Optional;

import io.slimjobs.kube.JobIndex;
import io.slimjobs.kube.PodIndex;
import io.slimjobs.queue.Dispatcher;
import org.apache.camel.Exchange;

/**
 * Readiness: the informer caches that every answer is served from hold the cluster's state. Liveness: the
 * dispatcher still runs; a stopped one releases nothing any more, and only a restart brings it back.
 */
public final class Readiness {

    private final JobIndex jobs;
    private final PodIndex pods;
    private final Dispatcher dispatcher;

    public Readiness(JobIndex jobs, PodIndex pods, Dispatcher dispatcher) {
        this.jobs = jobs;
        this.pods = pods;
        this.dispatcher = dispatcher;
    }

    public Map<String, String> check(Exchange exchange) {
        Optional<String> problem = dispatcherStopped();
        if (problem.isEmpty() && !(jobs.hasSynced() && pods.hasSynced())) {
            return answer(exchange, Map.of("status", "DOWN"));
        }
        return answer(exchange, problem);
    }

    public Map<String, String> live(Exchange exchange) {
        return answer(exchange, dispatcherStopped());
    }

    private Optional<String> dispatcherStopped() {
        return dispatcher.stoppedBy().map(cause -> "the dispatcher stopped (" + cause
                + "); no queued execution is released until SlimJobs restarts");
    }

    private static Map<String, String> answer(Exchange exchange, Optional<String> problem) {
        return answer(exchange, problem.map(message -> Map.of("status", "DOWN", "message", message))
                .orElse(Map.of("status", "UP")));
    }

    private static Map<String, String> answer(Exchange exchange, Map<String, String> body) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, "UP".equals(body.get("status")) ? 200 : 503);
        return body;
    }
}
