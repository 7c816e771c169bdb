package io.slimjobs.queue;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.slimjobs.config.Definitions;
import io.slimjobs.demo.EmbeddedCluster;
import io.slimjobs.kube.DependencyIndex;
import io.slimjobs.kube.JobIndex;
import io.slimjobs.kube.PodIndex;
import io.slimjobs.observe.ExecutionDecisions;

/**
 * A dispatcher on its own, on a test API server, without the application: its caches (not started), and passes run
 * one at a time on one thread once {@link #start} is called, as the pass route runs them, with no periodic resync.
 */
final class LoneDispatcher implements AutoCloseable {

    final EmbeddedCluster cluster;
    final PodIndex pods;
    final DependencyIndex dependencies;
    final JobIndex jobs;
    final Dispatcher dispatcher;
    final ScheduledExecutorService passes = Executors.newSingleThreadScheduledExecutor();

    LoneDispatcher(String namespace, Definitions definitions) {
        cluster = EmbeddedCluster.start(namespace, null);
        pods = new PodIndex(cluster.client(), namespace, 0);
        dependencies = new DependencyIndex(cluster.client(), namespace, 0);
        CapGroups capGroups = new CapGroups(definitions);
        jobs = new JobIndex(cluster.client(), namespace, 0, pods, capGroups.inForce(), dependencies);
        dispatcher = new Dispatcher(cluster.client(), namespace, jobs, capGroups, Clock.systemUTC(),
                Duration.ofMinutes(5), dependencies, new ExecutionDecisions());
    }

    void start() {
        dispatcher.start(group -> passes.execute(() -> {
            dispatcher.dequeued(group);
            dispatcher.pass(group);
        }), dispatcher::releaseNow, passes);
    }

    @Override
    public void close() {
        passes.shutdownNow();
        jobs.close();
        pods.close();
        dependencies.close();
        cluster.close();
    }
}
