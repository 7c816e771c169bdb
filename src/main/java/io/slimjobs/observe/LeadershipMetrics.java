package io.slimjobs.observe;

import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterView;

/**
 * Whether this replica leads, and how often it took or lost the lead: told by the leadership's cluster view, which
 * also tells of other replicas taking over, so only a change of this replica's own state counts.
 */
public final class LeadershipMetrics implements CamelClusterEventListener.Leadership {

    private final BooleanSupplier leads;
    private final Counter acquired;
    private final Counter lost;
    private boolean led;

    public LeadershipMetrics(MeterRegistry registry, BooleanSupplier leads) {
        this.leads = leads;
        Gauge.builder("slimjobs_leader", leads, l -> l.getAsBoolean() ? 1 : 0)
                .description("1 on the replica that holds the Lease and dispatches, 0 elsewhere").register(registry);
        acquired = transitions(registry, "acquired");
        lost = transitions(registry, "lost");
    }

    private static Counter transitions(MeterRegistry registry, String transition) {
        return Counter.builder("slimjobs.leadership.changes").tag("transition", transition)
                .description("Times this replica took the lead (acquired) or stopped leading (lost)").register(registry);
    }

    @Override
    public synchronized void leadershipChanged(CamelClusterView view, CamelClusterMember leader) {
        boolean leadsNow = leads.getAsBoolean();
        if (leadsNow != led) {
            (leadsNow ? acquired : lost).increment();
            led = leadsNow;
        }
    }
}
