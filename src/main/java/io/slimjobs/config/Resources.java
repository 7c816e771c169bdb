package io.slimjobs.config;

import java.util.Map;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** CPU, memory and other resource quantities, by resource name, as Kubernetes writes them ("500m", "1Gi"). */
@JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
public record Resources(Map<String, String> requests, Map<String, String> limits) {

    public Resources {
        requests = requests == null ? Map.of() : Map.copyOf(requests);
        limits = limits == null ? Map.of() : Map.copyOf(limits);
    }
}
