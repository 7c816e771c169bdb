package io.slimjobs.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One container environment variable: a plain value or exactly one reference, as SlimFaas' `Environments`
 * entries write it.
 */
@JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
public record EnvVar(String name, String value, KeyRef secretRef, KeyRef configMapRef, FieldRef fieldRef,
                     ResourceFieldRef resourceFieldRef) {

    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record KeyRef(String name, String key) {
    }

    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record FieldRef(String fieldPath) {
    }

    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record ResourceFieldRef(String containerName, String resource, String divisor) {
    }

    public boolean readsSecretOrConfigMap() {
        return secretRef != null || configMapRef != null;
    }

    int sourceCount() {
        int count = value != null ? 1 : 0;
        for (Object ref : new Object[] {secretRef, configMapRef, fieldRef, resourceFieldRef}) {
            count += ref != null ? 1 : 0;
        }
        return count;
    }
}
