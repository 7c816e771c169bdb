package io.slimjobs.config;

import java.util.Map;

/** CPU, memory and other resource quantities, by resource name, as Kubernetes writes them ("500m", "1Gi"). */
public record Resources(Map<String, String> requests, Map<String, String> limits) {

    public Resources {
        requests = requests == null ? Map.of() : Map.copyOf(requests);
        limits = limits == null ? Map.of() : Map.copyOf(limits);
    }
}
