package io.slimjobs.config;

import java.util.List;

/**
 * A job as configured under `Configurations`: what it runs and the limits every trigger is held to.
 * Fields are nullable as parsed; {@link #withDefaults} fills them.
 *
 * @param payloadPath the folder a trigger's `Payload` is mounted in, as the file `payload`
 * @param callbackUrl where a CloudEvent is posted when an execution ends, unless its trigger names another; null for
 *                    none
 * @param kafkaTopic  a Kafka topic every record of which triggers this job; null for none
 */
public record JobDefinition(String image, List<String> imagesWhitelist, Resources resources, List<String> dependsOn,
                            List<EnvVar> environments, Integer backoffLimit, Visibility visibility,
                            Integer numberParallelJob, Integer ttlSecondsAfterFinished, RestartPolicy restartPolicy,
                            String payloadPath, String callbackUrl, String kafkaTopic) {

    /** Radix' folder for a job's payload. */
    public static final String DEFAULT_PAYLOAD_PATH = "/etc/slimjobs/payload";

    static final Resources DEFAULT_RESOURCES = new Resources(
            java.util.Map.of("cpu", "100m", "memory", "100Mi"), java.util.Map.of("cpu", "100m", "memory", "100Mi"));

    /** The built-in `Default` entry: no image, 100m/100Mi, Private. */
    static final JobDefinition BUILT_IN_DEFAULT = new JobDefinition(
            "", List.of(), DEFAULT_RESOURCES, List.of(), List.of(), null, null, null, null, null, null, null, null)
            .withDefaults(null);

    /** Fills unset fields; a definition without `Resources` is held to the `Default` entry's resources. */
    JobDefinition withDefaults(Resources fallbackResources) {
        return new JobDefinition(
                image == null ? "" : image,
                imagesWhitelist == null ? List.of() : List.copyOf(imagesWhitelist),
                resources == null ? fallbackResources : resources,
                dependsOn == null ? List.of() : List.copyOf(dependsOn),
                environments == null ? List.of() : List.copyOf(environments),
                backoffLimit == null ? 1 : backoffLimit,
                visibility == null ? Visibility.Private : visibility,
                numberParallelJob == null ? 1 : numberParallelJob,
                ttlSecondsAfterFinished == null ? 60 : ttlSecondsAfterFinished,
                restartPolicy == null ? RestartPolicy.Never : restartPolicy,
                payloadPath == null ? DEFAULT_PAYLOAD_PATH : payloadPath,
                callbackUrl,
                kafkaTopic);
    }
}
