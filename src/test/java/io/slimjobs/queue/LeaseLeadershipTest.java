package io.slimjobs.queue;

import static io.slimjobs.SlimJobsTestSupport.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.slimjobs.demo.EmbeddedCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two replicas compete for the Lease on the mock API server, with short settings. */
class LeaseLeadershipTest {

    private static final String NAMESPACE = "leadership";
    private static final Duration LEASE = Duration.ofMillis(1500);

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
        first.start();
        awaitUntil("the first replica leads", first::leads);
        second.start();
        try {
            first.stop();
            assertFalse(first.leads());
            // fabric8 gives the Lease up by shortening it to 1 s; the second replica would otherwise wait 30 s
            awaitUntil("the second replica leads", second::leads);
        } finally {
            second.stop();
        }
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
