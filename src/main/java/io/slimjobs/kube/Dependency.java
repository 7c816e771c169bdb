package io.slimjobs.kube;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A Deployment or StatefulSet some execution depends on, as the informer cache holds it, with what its annotations
 * say about readiness and waking.
 *
 * @param replicas      {@code spec.replicas}, the replicas asked for
 * @param readyReplicas {@code status.readyReplicas}
 */
public record Dependency(Kind kind, String name, int replicas, int readyReplicas, Map<String, String> annotations,
                         String resourceVersion) {

    private static final int DEFAULT_IDLE_SECONDS = 300;

    public enum Kind {
        DEPLOYMENT("deployment"), STATEFUL_SET("statefulset");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * Ready replicas needed: `slimjobs.io/min-ready`, else SlimFaas' `ReplicasMin`, else 1; never below 1, since a
     * scale-to-zero function says `ReplicasMin: "0"` and a dependency without a ready replica cannot serve.
     */
    public int minReady() {
        return Math.max(1, number(Labels.MIN_READY).or(() -> number(Labels.SLIMFAAS_REPLICAS_MIN)).orElse(1));
    }

    public boolean isReady() {
        return readyReplicas >= minReady();
    }

    public boolean wakesOnDemand() {
        return "true".equalsIgnoreCase(annotations.get(Labels.WAKE_ON_DEMAND));
    }

    /**
     * Replicas to wake to: `slimjobs.io/wake-replicas`, else SlimFaas' `ReplicasAtStart`, else 1; never fewer than
     * {@link #minReady}, or the executions that woke it would wait for ever.
     */
    public int wakeReplicas() {
        return Math.max(minReady(),
                number(Labels.WAKE_REPLICAS).or(() -> number(Labels.SLIMFAAS_REPLICAS_AT_START)).orElse(1));
    }

    /** How long it stays up after the last execution that needed it finished (`slimjobs.io/idle-seconds`). */
    public Duration idleDelay() {
        return Duration.ofSeconds(Math.max(0, number(Labels.IDLE_SECONDS).orElse(DEFAULT_IDLE_SECONDS)));
    }

    /** SlimJobs' mark, if SlimJobs woke it. */
    public Optional<WakeMark> wakeMark() {
        return WakeMark.parse(annotations.get(Labels.WOKEN));
    }

    /** Why an execution cannot start yet because of this dependency; empty once it is ready. */
    public Optional<String> waitReason() {
        if (isReady()) {
            return Optional.empty();
        }
        String counts = readyReplicas + "/" + minReady() + " ready";
        if (replicas > 0) {
            return Optional.of("waiting for " + kind + " " + name + ": " + counts);
        }
        return Optional.of(wakesOnDemand() ? "waiting for " + kind + " " + name + " to wake from 0 replicas: " + counts
                : kind + " " + name + " is scaled to 0 replicas and does not opt in to waking (annotation "
                        + Labels.WAKE_ON_DEMAND + ": \"true\")");
    }

    /** An annotation's whole number; an absent or unreadable one counts as unset. */
    private Optional<Integer> number(String key) {
        String value = annotations.get(key);
        try {
            return value == null ? Optional.empty() : Optional.of(Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
