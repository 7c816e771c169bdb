package io.slimjobs.schedule;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * The entries of a {@link ScheduleConfigMap}'s cache, each parsed into a value. An entry is parsed again only when
 * its text changes, so that reading thousands of them every minute costs a map lookup each.
 *
 * @param <T> what an entry's text is parsed into
 */
final class ParsedEntries<T> {

    private final ScheduleConfigMap configMap;
    /** Parses one entry (key, text); null leaves it out (the parser says why, once: the same text is not retried). */
    private final BiFunction<String, String, T> parser;
    private final Object changes = new Object();
    private volatile Snapshot<T> snapshot = new Snapshot<>(null, Map.of(), Map.of());

    private record Snapshot<T>(String resourceVersion, Map<String, String> texts, Map<String, T> values) {
    }

    ParsedEntries(ScheduleConfigMap configMap, BiFunction<String, String, T> parser) {
        this.configMap = configMap;
        this.parser = parser;
        configMap.onChange(() -> {
            synchronized (changes) {
                changes.notifyAll();
            }
        });
    }

    /** The entries by key; none while the ConfigMap does not exist. The same map until the ConfigMap changes. */
    Map<String, T> entries() {
        ScheduleConfigMap.State state = configMap.current()
                .orElse(new ScheduleConfigMap.State(null, null, Map.of()));
        Snapshot<T> last = snapshot;
        if (Objects.equals(state.resourceVersion(), last.resourceVersion())) {
            return last.values();
        }
        Map<String, T> values = new LinkedHashMap<>();
        state.data().forEach((key, text) -> {
            T value = text.equals(last.texts().get(key)) ? last.values().get(key) : parser.apply(key, text);
            if (value != null) {
                values.put(key, value);
            }
        });
        Snapshot<T> next = new Snapshot<>(state.resourceVersion(), state.data(), Collections.unmodifiableMap(values));
        snapshot = next;
        return next.values();
    }

    /**
     * Waits, at most the timeout, until the cached entries satisfy the condition: a caller who just wrote reads its
     * own write from the cache afterwards.
     */
    void await(Predicate<Map<String, T>> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changes) {
            while (!condition.test(entries())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    changes.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
