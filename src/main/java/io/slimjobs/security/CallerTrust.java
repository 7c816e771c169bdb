package io.slimjobs.security;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.slimjobs.kube.IpAddresses;
import io.slimjobs.kube.PodIndex;

/**
 * Decides whether a caller may use Private jobs: its address is the IP of a running pod of the namespace
 * (unless the operator turned pod-IP trust off) or inside an operator-trusted range. `X-Forwarded-For` is
 * read only when the direct peer is a configured proxy, since any client can write that header.
 */
public final class CallerTrust {

    private final List<Cidr> trustedRanges;
    private final List<Cidr> trustedProxies;
    private final PodIndex pods;
    private final boolean trustPodIps;

    public CallerTrust(String trustedRanges, String trustedProxies, PodIndex pods, boolean trustPodIps) {
        this.trustedRanges = parse(trustedRanges);
        this.trustedProxies = parse(trustedProxies);
        this.pods = pods;
        this.trustPodIps = trustPodIps;
    }

    /** Comma-separated CIDR ranges; fails at startup on a malformed one. */
    static List<Cidr> parse(String ranges) {
        if (ranges == null || ranges.isBlank()) {
            return List.of();
        }
        return Arrays.stream(ranges.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Cidr::parse).toList();
    }

    public boolean isTrusted(String peer, String forwardedFor) {
        return client(peer, forwardedFor)
                .map(address -> trustPodIps && pods.isTrustedPodIp(address) || within(trustedRanges, address))
                .orElse(false);
    }

    /** The caller: the peer, or behind trusted proxies the nearest `X-Forwarded-For` hop that is not one. */
    private Optional<InetAddress> client(String peer, String forwardedFor) {
        Optional<InetAddress> hop = IpAddresses.parse(peer);
        if (forwardedFor == null) {
            return hop;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0 && hop.isPresent() && within(trustedProxies, hop.get()); i--) {
            hop = IpAddresses.parse(hops[i]);
        }
        return hop;
    }

    private static boolean within(List<Cidr> ranges, InetAddress address) {
        return ranges.stream().anyMatch(range -> range.contains(address));
    }
}
