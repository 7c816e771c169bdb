package io.slimjobs.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.slimjobs.demo.EmbeddedCluster;
import io.slimjobs.kube.IpAddresses;
import io.slimjobs.kube.PodIndex;

class CallerTrustTest {

    private static final String NAMESPACE = "trust";
    private static final String RANGES = "172.16.0.0/12, fd12::/16";
    private static final String PROXIES = "192.168.0.10, 192.168.0.11/32, fd99::1";

    private static final String LOOKUP_SENTINEL = "192.0.2.53";

    private static EmbeddedCluster cluster;
    private static PodIndex pods;

    /** One real Pod informer for the class: a pod with an IPv4 and an IPv6 address, indexed before any test runs. */
    @BeforeAll
    static void indexOnePod() {
        cluster = EmbeddedCluster.start(NAMESPACE, null);
        KubernetesClient client = cluster.client();
        Pod pod = new PodBuilder()
                .withNewMetadata().withName("caller").withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("busybox").endContainer().endSpec()
                .build();
        client.pods().inNamespace(NAMESPACE).resource(pod).create();
        client.pods().inNamespace(NAMESPACE).withName("caller").editStatus(latest -> new PodBuilder(latest)
                .withNewStatus().withPhase("Running").withPodIP("10.244.9.9")
                .withPodIPs(new PodIP("10.244.9.9"), new PodIP("fd00::9")).endStatus()
                .build());

        pods = new PodIndex(client, NAMESPACE, 0);
        pods.start();
        await("the pod's addresses indexed", () -> pods.hasSynced()
                && pods.isTrustedPodIp(IpAddresses.parse("10.244.9.9").orElseThrow())
                && pods.isTrustedPodIp(IpAddresses.parse("fd00::9").orElseThrow()));
    }

    @AfterAll
    static void stopCluster() {
        if (pods != null) {
            pods.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest(name = "peer {0}, X-Forwarded-For [{1}]: trusted={2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            172.16.1.2        | -                          | true
            203.0.113.5       | -                          | false
            fd12::1           | -                          | true
            fd13::1           | -                          | false
            ::ffff:172.16.1.2 | -                          | true
            127.0.0.1         | -                          | false
            ::1               | -                          | false
            not-an-address    | -                          | false
            -                 | -                          | false
            """)
    void should_trust_a_direct_peer_inside_a_trusted_range_only(String peer, String forwardedFor, boolean trusted) {
        assertEquals(trusted, new CallerTrust(RANGES, PROXIES, pods, true).isTrusted(peer, forwardedFor));
    }

    @ParameterizedTest(name = "peer {0}, X-Forwarded-For [{1}]: trusted={2}")
    @CsvSource(delimiter = '|', textBlock = """
            203.0.113.5       | 172.16.1.2                 | false
            203.0.113.5       | 10.244.9.9                 | false
            172.16.1.2        | 203.0.113.5                | true
            """)
    void should_ignore_forwarded_for_unless_the_peer_is_a_trusted_proxy(String peer, String forwardedFor,
                                                                        boolean trusted) {
        assertEquals(trusted, new CallerTrust(RANGES, PROXIES, pods, true).isTrusted(peer, forwardedFor));
    }

    @ParameterizedTest(name = "peer {0}, X-Forwarded-For [{1}]: trusted={2}")
    @CsvSource(delimiter = '|', textBlock = """
            192.168.0.10      | 172.16.1.2                 | true
            192.168.0.10      | 203.0.113.5                | false
            192.168.0.10      | 172.16.1.2, 203.0.113.5    | false
            192.168.0.10      | 172.16.1.2, 192.168.0.11   | true
            192.168.0.10      | 203.0.113.5, 192.168.0.11  | false
            192.168.0.11      | 203.0.113.5,172.16.1.2     | true
            fd99::1           | [fd12::7]                  | true
            fd99::1           | fd13::7                    | false
            ::ffff:192.168.0.10 | 10.244.9.9               | true
            192.168.0.10      | ''                         | false
            """)
    void should_decide_on_the_nearest_hop_that_is_not_a_trusted_proxy(String peer, String forwardedFor,
                                                                      boolean trusted) {
        assertEquals(trusted, new CallerTrust(RANGES, PROXIES, pods, true).isTrusted(peer, forwardedFor));
    }

    @Test
    void should_not_trust_a_trusted_proxy_itself_when_it_forwards_nothing() {
        assertFalse(new CallerTrust(RANGES, PROXIES, pods, true).isTrusted("192.168.0.10", null));
    }

    @Test
    void should_never_resolve_a_host_name_in_forwarded_for() {
        CallerTrust loopbackTrusted = new CallerTrust("127.0.0.0/8, ::1", "192.168.0.10", pods, true);

        assertTrue(loopbackTrusted.isTrusted("192.168.0.10", "127.0.0.1"), "the loopback address itself is trusted");
        assertFalse(loopbackTrusted.isTrusted("192.168.0.10", "localhost"));
        assertFalse(loopbackTrusted.isTrusted("192.168.0.10", "127.0.0.1, localhost"));
        assertFalse(loopbackTrusted.isTrusted("localhost", null));
    }

    /**
     * Had the text been looked up, the caller would be trusted: the test JVMs resolve names from
     * {@code src/test/no-dns.hosts} alone ({@code jdk.net.hosts.file}, set in pom.xml), where each probe name answers
     * {@value #LOOKUP_SENTINEL} or loopback.
     */
    @ParameterizedTest
    @MethodSource("lookupProbes")
    @ValueSource(strings = {"::ffff:999.1.1.1", "fd12::1%25eth0.example.com", "fd12::1%", "10.0.0.1%1"})
    void should_not_look_up_anything_in_forwarded_for_that_is_not_an_address_literal(String hop) {
        assertTrue(IpAddresses.parse(hop).isEmpty());
        assertFalse(trustedIfLookedUp().isTrusted("192.168.0.10", hop));
    }

    @ParameterizedTest
    @MethodSource("lookupProbes")
    void should_see_a_name_lookup_of_a_probe_as_a_trusted_caller(String name) throws UnknownHostException {
        String answer = InetAddress.getByName(name).getHostAddress();

        assertTrue(trustedIfLookedUp().isTrusted(answer, null), name + " resolved to " + answer);
    }

    @Test
    void should_keep_an_ipv6_zone_given_as_a_number() {
        assertEquals("fd12:0:0:0:0:0:0:1%3", IpAddresses.parse("[fd12::1%3]").orElseThrow().getHostAddress());
    }

    /** Trusts loopback and the sentinel, the answers of every probe name. */
    private static CallerTrust trustedIfLookedUp() {
        return new CallerTrust(RANGES + ", 127.0.0.0/8, ::1, " + LOOKUP_SENTINEL + "/32", PROXIES, pods, true);
    }

    static Stream<String> lookupProbes() {
        return Stream.of("localhost", "evil.example", "gateway.internal", "10.0.0.1.nip.io", "999.1.1.1",
                "172.16.1.256", ".::1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.244.9.9", "fd00::9", "fd00:0:0:0:0:0:0:9", "FD00:0000:0000::0009", "[fd00::9]",
            "::ffff:10.244.9.9"})
    void should_trust_a_pod_ip_of_the_namespace_however_it_is_written(String peer) {
        assertTrue(new CallerTrust("", "", pods, true).isTrusted(peer, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.244.9.10", "fd00::a", "10.244.9.99"})
    void should_not_trust_an_address_that_is_no_pod_ip(String peer) {
        assertFalse(new CallerTrust("", "", pods, true).isTrusted(peer, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "not-a-cidr"})
    void should_fail_at_startup_on_a_malformed_range(String range) {
        assertThrows(IllegalArgumentException.class, () -> new CallerTrust(range, "", pods, true));
        assertThrows(IllegalArgumentException.class, () -> new CallerTrust("", "10.0.0.1, " + range, pods, true));
    }

    /** Polls until the condition holds; fails after ten seconds. */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }
}
