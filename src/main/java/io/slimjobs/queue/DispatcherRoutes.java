package io.slimjobs.queue;

import static org.apache.camel.support.builder.PredicateBuilder.and;
import static org.apache.camel.support.builder.PredicateBuilder.not;

import io.slimjobs.trigger.AbandonedJobs;
import org.apache.camel.builder.RouteBuilder;

/**
 * The dispatcher as routes. Requests for a pass over a cap group (from Job, pod and dependency events, timed
 * re-checks, the periodic resync and a takeover) travel on {@link #PASSES} to one consumer, which passes only on the
 * leader; the timers that ask for passes run on the leader only (`master:`); the releases a pass decides go out through {@link #RELEASES}, whose Throttle bounds the rate of API writes.
 */
public class DispatcherRoutes extends RouteBuilder {

    /** Cap groups waiting for a pass; the dispatcher sends each at most once until its pass begins. */
    public static final String PASSES = "seda:dispatcher-passes?pollTimeout=100";
    /** One release decided by a pass; answers true when the Job was unsuspended. */
    public static final String RELEASES = "direct:dispatcher-release";
    /** The `master:` namespace of leader-only routes; every namespace maps to the one Lease. */
    private static final String LEADER = "master:slimjobs:";

    @Override
    public void configure() {
        from(LEADER + "timer:dispatcher-takeover?repeatCount=1&delay=0").routeId("dispatcher-takeover")
                .bean("dispatcher", "takeOver");

        from(LEADER + "timer:dispatcher-resync?period={{slimjobs.dispatcher.resync-interval}}")
                .routeId("dispatcher-resync")
                .bean("dispatcher", "resyncAll");

        // one consumer; a replica that does not lead lets requests go (its takeover will resync everything)
        from(PASSES).routeId("dispatcher-pass")
                .bean("dispatcher", "dequeued")
                .filter(method("leadership", "leads"))
                    .bean("dispatcher", "pass");

        // TotalRequests mode bounds the rate (n per second); the default ConcurrentRequests mode would only bound
        // how many releases are in flight at once. A release that waited here goes out only if this replica still
        // leads: a new leader recounts from the cluster.
        from(RELEASES).routeId("dispatcher-release")
                .throttle(constant("{{slimjobs.dispatcher.max-releases-per-second}}")).totalRequestsMode()
                        .timePeriodMillis(1000)
                .choice()
                    // a Job created after its trigger answered 503 is deleted instead, and takes no slot
                    .when(and(method("leadership", "leads"), not(method(AbandonedJobs.BEAN, "discard"))))
                        .bean("dispatcher", "releaseNow")
                    .otherwise()
                        .setBody(constant(false))
                .end();
    }
}
