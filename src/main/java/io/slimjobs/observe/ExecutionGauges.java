package io.slimjobs.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.slimjobs.kube.ExecutionStatus;

/**
 * Per job name, how many executions are queued and how many hold a slot, counted from the informer cache when
 * Prometheus scrapes: every defined job name (0 when idle) and every other name with unfinished executions. A name
 * that is neither any more disappears.
 */
public final class ExecutionGauges {

    private final Supplier<Set<String>> definedNames;
    private final Supplier<Map<String, Map<ExecutionStatus, Integer>>> unfinished;
    private final MultiGauge queueDepth;
    private final MultiGauge running;

    public ExecutionGauges(MeterRegistry registry, Supplier<Set<String>> definedNames,
                           Supplier<Map<String, Map<ExecutionStatus, Integer>>> unfinished) {
        this.definedNames = definedNames;
        this.unfinished = unfinished;
        queueDepth = MultiGauge.builder("slimjobs.queue.depth").description("Queued executions (suspended Jobs)")
                .register(registry);
        running = MultiGauge.builder("slimjobs.running.executions")
                .description("Executions holding a NumberParallelJob slot: Pending, Running or ImagePullBackOff")
                .register(registry);
    }

    /** Brings the gauges up to date; called before each scrape. */
    public synchronized void refresh() {
        Map<String, Map<ExecutionStatus, Integer>> counts = unfinished.get();
        Set<String> names = new TreeSet<>(definedNames.get());
        names.addAll(counts.keySet());
        queueDepth.register(rows(names, counts, status -> status == ExecutionStatus.Queued), true);
        running.register(rows(names, counts, ExecutionStatus::holdsSlot), true);
    }

    private static List<MultiGauge.Row<?>> rows(Set<String> names, Map<String, Map<ExecutionStatus, Integer>> counts,
                                                Predicate<ExecutionStatus> counted) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (String name : names) {
            int count = counts.getOrDefault(name, Map.of()).entrySet().stream()
                    .filter(entry -> counted.test(entry.getKey())).mapToInt(Map.Entry::getValue).sum();
            rows.add(MultiGauge.Row.of(Tags.of("job_name", name), count));
        }
        return rows;
    }
}
