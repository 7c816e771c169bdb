package io.slimjobs.queue;

import io.slimjobs.config.JobsConfiguration;

/**
 * Which NumberParallelJob a job name counts against: a configured name has its own; every name that falls back
 * to `Default` shares Default's, so inventing names never buys more concurrency.
 */
public final class CapGroups {

    private final JobsConfiguration configuration;

    public CapGroups(JobsConfiguration configuration) {
        this.configuration = configuration;
    }

    /** The cap group of a job name: the name itself when it is configured, else `default`. */
    public String of(String jobName) {
        return configuration.definitions().containsKey(jobName) ? jobName : JobsConfiguration.DEFAULT;
    }

    /** How many executions of the group may be pending or running at once. */
    int capacity(String capGroup) {
        return configuration.definitionFor(capGroup).numberParallelJob();
    }
}
