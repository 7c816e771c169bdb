package io.slimjobs.security;

import java.math.BigInteger;
import java.net.InetAddress;

import io.slimjobs.kube.IpAddresses;

/** An address range such as `10.0.0.0/8` or `fd00::/8`; a bare address is a range of one. */
record Cidr(InetAddress network, int prefixLength) {

    static Cidr parse(String text) {
        String[] parts = text.trim().split("/", 2);
        InetAddress network = IpAddresses.parse(parts[0])
                .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not a CIDR range"));
        int bits = network.getAddress().length * 8;
        int prefix;
        try {
            prefix = parts.length == 1 ? bits : Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR range");
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0.." + bits);
        }
        return new Cidr(network, prefix);
    }

    boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        byte[] base = network.getAddress();
        if (candidate.length != base.length) {
            return false;
        }
        int shift = base.length * 8 - prefixLength;
        return new BigInteger(1, candidate).shiftRight(shift).equals(new BigInteger(1, base).shiftRight(shift));
    }
}
