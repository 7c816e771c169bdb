package io.slimjobs.queue;

import java.util.Map;
import java.util.UUID;

/**
 * Who holds the Lease: the pod's name (`POD_NAME`, from the downward API), else the host name with a random suffix,
 * since two processes on one host would otherwise share it and both believe they lead; else a random id.
 */
public final class LeaderIdentity {

    private LeaderIdentity() {
    }

    public static String of(Map<String, String> env) {
        String pod = env.getOrDefault("POD_NAME", "");
        if (!pod.isBlank()) {
            return pod;
        }
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String host = env.getOrDefault("HOSTNAME", "");
        return (host.isBlank() ? "slimjobs" : host) + "-" + suffix;
    }
}
