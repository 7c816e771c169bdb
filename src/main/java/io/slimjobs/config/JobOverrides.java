package io.slimjobs.config;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What a trigger or a schedule entry may set on top of the job definition. Every field is optional;
 * `null` means "keep the definition's value". `DependsOn: []` explicitly means "no dependencies".
 *
 * @param payload the execution's input, mounted as a file in the definition's `PayloadPath` (Radix' `payload`)
 */
@JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
public record JobOverrides(List<String> args, String image, Resources resources, List<EnvVar> environments,
                           List<String> dependsOn, Integer backoffLimit, Integer ttlSecondsAfterFinished,
                           RestartPolicy restartPolicy, String payload) {

    public static final JobOverrides NONE = new JobOverrides(null, null, null, null, null, null, null, null, null);

    public boolean hasImage() {
        return image != null && !image.isBlank();
    }
}
