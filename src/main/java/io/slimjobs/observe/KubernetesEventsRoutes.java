package io.slimjobs.observe;

import org.apache.camel.builder.RouteBuilder;

/**
 * Creates the Kubernetes Events of decisions at most slimjobs.events.max-per-second: decisions wait in a bounded
 * queue, and one that finds it full is dropped by {@link KubernetesEvents} rather than holding up the caller.
 */
public class KubernetesEventsRoutes extends RouteBuilder {

    /** The decisions waiting for their Event; offering to a full queue fails at once. */
    public static final String QUEUE =
            "seda:kubernetes-events?size={{slimjobs.events.queue-size}}&blockWhenFull=false&pollTimeout=100";

    @Override
    public void configure() {
        // TotalRequests mode bounds the rate; the default ConcurrentRequests mode would only bound how many are in
        // flight at once
        from(QUEUE).routeId("kubernetes-events").autoStartup("{{slimjobs.events.enabled}}")
                .throttle(constant("{{slimjobs.events.max-per-second}}")).totalRequestsMode().timePeriodMillis(1000)
                .bean(KubernetesEvents.BEAN, "create");
    }
}
