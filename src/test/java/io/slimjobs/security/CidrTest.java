package io.slimjobs.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.slimjobs.kube.IpAddresses;

class CidrTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/8      | 10.255.1.2            | true
            10.0.0.0/8      | 11.0.0.1              | false
            172.16.0.0/12   | 172.31.255.255        | true
            172.16.0.0/12   | 172.32.0.0            | false
            0.0.0.0/0       | 203.0.113.5           | true
            192.168.1.7     | 192.168.1.7           | true
            192.168.1.7     | 192.168.1.8           | false
            fd00::/8        | fd12:3456::1          | true
            fd00::/8        | fe80::1               | false
            fd00::9         | fd00:0:0:0:0:0:0:9    | true
            fd00::9         | fd00::8               | false
            10.0.0.0/8      | ::ffff:10.1.2.3       | true
            10.0.0.0/8      | fd00::1               | false
            fd00::/8        | 10.0.0.1              | false
            ::/0            | 10.0.0.1              | false
            """)
    void should_match_addresses_inside_the_range_only(String range, String address, boolean contained) {
        assertEquals(contained, Cidr.parse(range).contains(address(address)));
    }

    @Test
    void should_read_a_bare_address_as_a_range_of_one() {
        assertEquals(32, Cidr.parse("192.168.1.7").prefixLength());
        assertEquals(128, Cidr.parse("fd00::9").prefixLength());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not-a-cidr", "localhost", "10.0.0/8", "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/33",
            "10.0.0.0/-1", "fd00::/129", "fd00::/8/8"})
    void should_refuse_a_malformed_range(String range) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(range));

        assertTrue(e.getMessage().contains("'" + range + "'"), e.getMessage());
    }

    private static InetAddress address(String literal) {
        return IpAddresses.parse(literal).orElseThrow();
    }
}
