package io.slimjobs.trigger;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.slimjobs.config.EnvVar;
import io.slimjobs.config.Resources;
import io.slimjobs.config.RestartPolicy;

/**
/**
 * What one execution runs: the job definition with the trigger's overrides merged in and checked, its input, and
 * where its end is announced.
 *
 * @param payload     the trigger's `Payload`, mounted as the file `payload` in {@code payloadPath}; null for none
 * @param payloadPath the folder the payload is mounted in
 * @param event       the CloudEvent the execution was triggered by, as structured JSON; null for none
 * @param callbackUrl where its end is announced; null for nowhere
 */
public record ExecutionPlan(String jobName, String image, List<String> args, List<EnvVar> environments,
                            Resources resources, List<String> dependsOn, int backoffLimit,
                            int ttlSecondsAfterFinished, RestartPolicy restartPolicy, String payload,
                            String payloadPath, byte[] event, String callbackUrl) {

    /** The same plan with what the request adds besides overrides: its event and the callback URL in force. */
    ExecutionPlan withEventAndCallback(byte[] eventJson, String url) {
        return new ExecutionPlan(jobName, image, args, environments, resources, dependsOn, backoffLimit,
                ttlSecondsAfterFinished, restartPolicy, payload, payloadPath, eventJson, url);
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
