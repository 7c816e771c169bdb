package io.slimjobs.kube;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Optional;

import io.netty.util.NetUtil;

/**
 * Reads IP address literals only: a host name must never trigger a DNS lookup on a request path. The text is
 * parsed to bytes here and {@link InetAddress#getByAddress(byte[])} never consults a name service, so no text,
 * however odd, can cause a lookup.
 */
public final class IpAddresses {

    private IpAddresses() {
    }

    /**
     * An IPv4 or IPv6 literal (brackets allowed, an IPv6 zone as a number or the name of an interface of this
     * machine); IPv4-mapped IPv6 addresses come back as IPv4.
     */
    public static Optional<InetAddress> parse(String literal) {
        if (literal == null) {
            return Optional.empty();
        }
        String text = literal.trim();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        int zoneAt = text.indexOf('%');
        byte[] address = NetUtil.createByteArrayFromIpAddressString(zoneAt < 0 ? text : text.substring(0, zoneAt));
        if (address == null || (zoneAt >= 0 && address.length != 16)) {
            return Optional.empty();
        }
        try {
            return zoneAt < 0 ? Optional.of(InetAddress.getByAddress(address))
                    : zoned(address, text.substring(zoneAt + 1));
        } catch (UnknownHostException | SocketException e) {
            return Optional.empty();
        }
    }

    private static Optional<InetAddress> zoned(byte[] address, String zone) throws UnknownHostException,
            SocketException {
        if (zone.matches("\\d{1,9}")) {
            return Optional.of(Inet6Address.getByAddress(null, address, Integer.parseInt(zone)));
        }
        NetworkInterface networkInterface = zone.isEmpty() ? null : NetworkInterface.getByName(zone);
        return networkInterface == null ? Optional.empty()
                : Optional.of(Inet6Address.getByAddress(null, address, networkInterface));
    }
}
