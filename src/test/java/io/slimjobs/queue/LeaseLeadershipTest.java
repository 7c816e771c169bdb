package io.slimjobs.queue;

import static io.slimjobs.SlimJobsTestSupport.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.slimjobs.MetricSamples;
import io.slimjobs.demo.EmbeddedCluster;
import io.slimjobs.observe.LeadershipMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two replicas compete for the Lease on the mock API server, with short settings. */
class LeaseLeadershipTest {

    private static final String NAMESPACE = "leadership";
    private static final Duration LEASE = Duration.ofSeconds(2);

    private EmbeddedCluster cluster;

    @BeforeEach
    void startCluster() {
        cluster = EmbeddedCluster.start(NAMESPACE, null);
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    private static LeaseLeadership replica(KubernetesClient client, String identity) {
        return new LeaseLeadership(client, NAMESPACE, "slimjobs-leader", identity, LEASE, Duration.ofMillis(1000),
                Duration.ofMillis(100));
    }

    /** The leadership metrics of a replica, told by its cluster view as SlimJobs wires them. */
    private static PrometheusMeterRegistry metricsOf(LeaseLeadership replica) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        replica.getView("metrics").addEventListener(new LeadershipMetrics(registry, replica::leads));
        return registry;
    }

    private static double changes(PrometheusMeterRegistry registry, String transition) {
        return MetricSamples.parse(registry.scrape()).count("slimjobs_leadership_changes_total", "transition",
                transition);
    }

    private String holder() {
        Lease lease = cluster.client().leases().inNamespace(NAMESPACE).withName("slimjobs-leader").get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    @Test
    void should_elect_exactly_one_leader_among_two_replicas() throws Exception {
        LeaseLeadership a = replica(cluster.client(), "replica-a");
        LeaseLeadership b = replica(cluster.client(), "replica-b");
        a.start();
        b.start();
        try {
            awaitUntil("a leader", () -> a.leads() || b.leads());
            LeaseLeadership leader = a.leads() ? a : b;
            assertEquals(leader.identity(), holder());
            // several renewals later, still exactly one
            Thread.sleep(LEASE.toMillis());
            assertTrue(a.leads() ^ b.leads(), "exactly one replica leads");
            assertEquals(leader.identity(), holder());
        } finally {
            a.stop();
            b.stop();
        }
    }

    @Test
    void should_give_the_lease_up_on_shutdown_so_another_replica_takes_over_before_it_expires() throws Exception {
        LeaseLeadership first = new LeaseLeadership(cluster.client(), NAMESPACE, "slimjobs-leader", "replica-a",
                Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofMillis(100));
        LeaseLeadership second = replica(cluster.client(), "replica-b");
        PrometheusMeterRegistry firstMetrics = metricsOf(first);
        PrometheusMeterRegistry secondMetrics = metricsOf(second);
        first.start();
        awaitUntil("the first replica leads", first::leads);
        second.start();
        try {
            first.stop();
            assertFalse(first.leads());
            // fabric8 gives the Lease up by shortening it to 1 s; the second replica would otherwise wait 30 s
            awaitUntil("the second replica leads", second::leads);
            assertEquals(1, changes(firstMetrics, "acquired"));
            assertEquals(1, changes(firstMetrics, "lost"));
            assertEquals(1, changes(secondMetrics, "acquired"));
            assertEquals(0, changes(secondMetrics, "lost"), "another replica taking the lead is not a loss");
            assertEquals(Optional.of(1.0), MetricSamples.parse(secondMetrics.scrape()).value("slimjobs_leader"));
        } finally {
            second.stop();
        }
    }

    @Test
    void should_let_another_replica_take_over_once_a_dead_leaders_lease_expires_never_both_leading() throws Exception {
        KubernetesClient own = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl(cluster.masterUrl()).withNamespace(NAMESPACE).build()).build();
        LeaseLeadership dead = replica(own, "replica-a");
        LeaseLeadership survivor = replica(cluster.client(), "replica-b");
        dead.start();
        awaitUntil("the first replica leads", dead::leads);
        survivor.start();
        try {
            // a crash as the Lease sees it: no more renewals and no release; fabric8's elector on a closed client
            // ends without telling its replica, which must still stop believing it leads
            long died = System.nanoTime();
            own.close();
            long deadline = died + LEASE.plusSeconds(5).toNanos();
            while (!survivor.leads()) {
                assertTrue(System.nanoTime() < deadline, "taken over within lease duration + 5 s");
                Thread.sleep(10);
            }
            Duration takeover = Duration.ofNanos(System.nanoTime() - died);
            assertFalse(dead.leads(), "the dead replica stopped leading before the survivor began");
            assertEquals("replica-b", holder());
            // its last renewal was at most a retry period before the crash: the Lease was not taken before expiry
            assertTrue(takeover.compareTo(LEASE.minusMillis(500)) > 0, "taken over only once expired: " + takeover);
        } finally {
            dead.stop();
            survivor.stop();
        }
    }

    @Test
    void should_refuse_a_lease_duration_that_a_lease_cannot_hold() {
        // a Lease holds whole seconds: 1.5 s would be read as 1 s by the replicas waiting to take over
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new LeaseLeadership(
                cluster.client(), NAMESPACE, "slimjobs-leader", "replica-a", Duration.ofMillis(1500),
                Duration.ofMillis(1000), Duration.ofMillis(100)));
        assertTrue(refused.getMessage().contains("slimjobs.leader.lease-duration"), refused.getMessage());
    }

    @Test
    void should_name_the_holder_after_its_pod_else_its_host_made_unique() {
        assertEquals("slimjobs-7d9f-x2", LeaderIdentity.of(Map.of("POD_NAME", "slimjobs-7d9f-x2", "HOSTNAME", "h")));
        String one = LeaderIdentity.of(Map.of("HOSTNAME", "build-host"));
        String two = LeaderIdentity.of(Map.of("HOSTNAME", "build-host"));
        assertTrue(one.startsWith("build-host-"), one);
        assertNotEquals(one, two, "two processes on one host never share an identity");
        assertNotEquals(LeaderIdentity.of(Map.of()), LeaderIdentity.of(Map.of()));
    }
}
