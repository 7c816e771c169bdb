package io.slimjobs.queue;

import java.util.Set;
import java.util.function.UnaryOperator;

import io.slimjobs.config.Definitions;
import io.slimjobs.config.JobsConfiguration;

/**
 * Which NumberParallelJob a job name counts against: a configured name has its own; every name that falls back
 * to `Default` shares Default's, so inventing names never buys more concurrency. Both follow the definitions in
 * force: a lower NumberParallelJob holds back the next releases and stops nothing already running.
 */
public final class CapGroups {

    private final Definitions definitions;

    public CapGroups(Definitions definitions) {
        this.definitions = definitions;
    }

    /** The cap group of a job name: the name itself when it is configured, else `default`. */
    public String of(String jobName) {
        return capGroup(definitions.current().definitions().keySet(), jobName);
    }

    /**
     * The grouping of the definitions in force, frozen, for an index that must give a Job the same group when it is
     * removed as when it was added; two groupings are equal when they group every name alike.
     */
    public UnaryOperator<String> inForce() {
        return new Grouping(Set.copyOf(definitions.current().definitions().keySet()));
    }

    private record Grouping(Set<String> configured) implements UnaryOperator<String> {
        @Override
        public String apply(String jobName) {
            return capGroup(configured, jobName);
        }
    }

    private static String capGroup(Set<String> configured, String jobName) {
        return configured.contains(jobName) ? jobName : JobsConfiguration.DEFAULT;
    }

    /** How many executions of the group may be pending or running at once. */
    int capacity(String capGroup) {
        return definitions.current().definitionFor(capGroup).numberParallelJob();
    }
}
