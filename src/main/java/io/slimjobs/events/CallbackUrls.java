package io.slimjobs.events;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import io.slimjobs.error.InvalidRequestException;
import io.slimjobs.trigger.GuardRails;

/**
 * Which completion callback URLs are accepted. A caller's URL asks SlimJobs to call somewhere on its behalf, so its
 * host must match one of the allowed host patterns (host names or addresses, {@code *} matching any run of
 * characters, case-insensitive, no port); a definition's own URL is the operator's choice and always allowed.
 */
public final class CallbackUrls {

    private final List<Pattern> allowedHosts;

    /** @param allowedHosts comma-separated host patterns; empty: no caller may name a URL */
    public CallbackUrls(String allowedHosts) {
        this.allowedHosts = Arrays.stream(allowedHosts.split(",")).map(String::trim).filter(host -> !host.isEmpty())
                .map(CallbackUrls::hostPattern).toList();
    }

    /**
     * The URL an execution is announced to: the caller's when it names one (checked), else the definition's.
     *
     * @param callerUrl     the trigger's X-Callback-Url; null or blank for none
     * @param definitionUrl the definition's CallbackUrl, already checked when it was loaded; null for none
     */
    public String effective(String callerUrl, String definitionUrl) {
        if (callerUrl == null || callerUrl.isBlank()) {
            return definitionUrl;
        }
        String url = callerUrl.trim();
        problem(url).ifPresent(problem -> {
            throw new InvalidRequestException("X-Callback-Url: " + problem);
        });
        if (allowedHosts.isEmpty()) {
            throw new InvalidRequestException("X-Callback-Url: callers may not name a callback URL here "
                    + "(slimjobs.callbacks.allowed-hosts is empty); a job's CallbackUrl is used instead");
        }
        String host = host(URI.create(url));
        if (allowedHosts.stream().noneMatch(allowed -> allowed.matcher(host).matches())) {
            throw new InvalidRequestException("X-Callback-Url: the host '" + host + "' is not among the allowed "
                    + "callback hosts (slimjobs.callbacks.allowed-hosts)");
        }
        return url;
    }

    /** What keeps a text from being an absolute http or https URL with a host, if anything. */
    public static Optional<String> problem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("'" + url + "' is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("'" + url + "' is not an absolute http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("'" + url + "' has no host");
        }
        return Optional.empty();
    }

    /** The host lower-cased, an IPv6 address without its brackets. */
    private static String host(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static Pattern hostPattern(String pattern) {
        String host = pattern.toLowerCase(Locale.ROOT);
        host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        // one colon is a port (an IPv6 address has at least two)
        if (host.contains("/") || host.chars().filter(c -> c == ':').count() == 1) {
            throw new IllegalArgumentException("slimjobs.callbacks.allowed-hosts: '" + pattern + "' is not a host "
                    + "pattern (a host name or address, '*' wildcards, no port or path)");
        }
        return GuardRails.wildcard(host);
    }
}
