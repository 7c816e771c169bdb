package io.slimjobs.trigger;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.slimjobs.config.EnvVar;
import io.slimjobs.config.Resources;
import io.slimjobs.config.RestartPolicy;

/**
 * What one execution runs: the job definition with the trigger's overrides merged in and checked, and its input.
 *
 * @param payload     the trigger's `Payload`, mounted as the file `payload` in {@code payloadPath}; null for none
 * @param payloadPath the folder the payload is mounted in
 * @param event       the CloudEvent the execution was triggered by, as structured JSON; null for none
 */
public record ExecutionPlan(String jobName, String image, List<String> args, List<EnvVar> environments,
                            Resources resources, List<String> dependsOn, int backoffLimit,
                            int ttlSecondsAfterFinished, RestartPolicy restartPolicy, String payload,
                            String payloadPath, byte[] event) {

    /** The same plan with this event as its input. */
    public ExecutionPlan withEvent(byte[] eventJson) {
        return new ExecutionPlan(jobName, image, args, environments, resources, dependsOn, backoffLimit,
                ttlSecondsAfterFinished, restartPolicy, payload, payloadPath, eventJson);
    }

    /** Whether the execution has input files, and so an input Secret. */
    public boolean hasInput() {
        return payload != null || event != null;
    }

    /** The bytes of the input files, as the input Secret holds them. */
    public long inputSize() {
        return (event == null ? 0 : event.length)
                + (payload == null ? 0 : payload.getBytes(StandardCharsets.UTF_8).length);
    }
}
