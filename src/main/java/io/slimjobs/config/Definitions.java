package io.slimjobs.config;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The job definitions in force right now. Readers take {@link #current()} once per request and keep that
 * snapshot; {@link DefinitionSources}, which learns of every change (the configuration file, CronJobs), calls
 * {@link #replace}, and every listener is told after the new definitions are in force.
 */
public final class Definitions {

    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile JobsConfiguration current;

    public Definitions(JobsConfiguration initial) {
        this.current = initial;
    }

    public JobsConfiguration current() {
        return current;
    }

    /**
     * Called after each change, on the thread that made it, in the order of registration: the dispatcher registers
     * first, so that the others are told once executions are counted by the new definitions.
     */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public void replace(JobsConfiguration next) {
        current = next;
        listeners.forEach(Runnable::run);
    }
}
