package io.slimjobs.config;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.slimjobs.error.ClusterUnavailableException;

/**
 * The job definitions in force right now. Readers take {@link #current()} once per request and keep that
 * snapshot; {@link DefinitionSources}, which learns of every change (the configuration file, CronJobs), calls
 * {@link #replace}, and every listener is told after the new definitions are in force.
 */
public final class Definitions {

    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile JobsConfiguration current;
    /** A source of definitions not read yet, if any. */
    private volatile String unread;

    public Definitions(JobsConfiguration initial) {
        this.current = initial;
    }

    public JobsConfiguration current() {
        return current;
    }

    /**
     * The definitions a request is judged by. Until every source has been read once, that would be by part of them
     * (a CronJob's job run under Default, a job the CronJob makes Private shown as the configuration's Public one),
     * so the request is answered 503 instead, as a replica that is not ready.
     */
    public JobsConfiguration forRequest() {
        String source = unread;
        if (source != null) {
            throw new ClusterUnavailableException("the job definitions are not all known yet (" + source
                    + " have not been read); try again in a moment");
        }
        return current;
    }

    /** Whether every source of definitions has been read once. */
    public boolean whole() {
        return unread == null;
    }

    /** Requests wait for this source of definitions: {@link #forRequest} answers 503 until {@link #read}. */
    void awaitFirstRead(String source) {
        unread = source;
    }

    /** The awaited source has been read once: the definitions in force are whole. */
    void read() {
        unread = null;
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
