package io.slimjobs.kube;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads IP address literals only: a host name must never trigger a DNS lookup on a request path. */
public final class IpAddresses {

    /** Octets above 255 are excluded: InetAddress would look such a text up as a host name. */
    private static final String OCTET = "(25[0-5]|2[0-4]\\d|[01]?\\d?\\d)";
    private static final Pattern IPV4 = Pattern.compile("^" + OCTET + "(\\." + OCTET + "){3}$");
    /** Starts with a hex digit or ':', since InetAddress looks up anything else as a host name. */
    private static final Pattern IPV6 = Pattern.compile("^[0-9a-fA-F:][0-9a-fA-F:.]*:[0-9a-fA-F:.]*(%[\\w.]+)?$");

    private IpAddresses() {
    }

    /** An IPv4 or IPv6 literal (brackets allowed); IPv4-mapped IPv6 addresses come back as IPv4. */
    public static Optional<InetAddress> parse(String literal) {
        if (literal == null) {
            return Optional.empty();
        }
        String text = literal.trim();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        if (!IPV4.matcher(text).matches() && !IPV6.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
