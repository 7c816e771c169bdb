package io.slimjobs.api;

import java.util.Map;

import io.slimjobs.kube.JobIndex;
import io.slimjobs.kube.PodIndex;
import org.apache.camel.Exchange;

/** Ready once the informer caches that every answer is served from hold the cluster's state. */
public final class Readiness {

    private final JobIndex jobs;
    private final PodIndex pods;

    public Readiness(JobIndex jobs, PodIndex pods) {
        this.jobs = jobs;
        this.pods = pods;
    }

    public Map<String, String> check(Exchange exchange) {
        boolean ready = jobs.hasSynced() && pods.hasSynced();
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, ready ? 200 : 503);
        return Map.of("status", ready ? "UP" : "DOWN");
    }
}
