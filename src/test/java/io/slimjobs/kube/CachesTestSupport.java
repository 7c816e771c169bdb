package io.slimjobs.kube;

import io.slimjobs.demo.EmbeddedCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A mock API server, with its simulated kubelet, and SlimJobs' Job and pod caches started on it, for tests of what
 * those caches hold. Each job name is its own cap group; the dependency index is never started.
 */
abstract class CachesTestSupport {

    protected EmbeddedCluster cluster;
    protected PodIndex pods;
    protected JobIndex jobs;

    /** The namespace the test's objects live in. */
    protected abstract String namespace();

    @BeforeEach
    void startCaches() {
        cluster = EmbeddedCluster.start(namespace(), null);
        pods = new PodIndex(cluster.client(), namespace(), 0);
        jobs = new JobIndex(cluster.client(), namespace(), 0, pods, name -> name,
                new DependencyIndex(cluster.client(), namespace(), 0));
        pods.start();
        jobs.start();
    }

    @AfterEach
    void stopCaches() {
        jobs.close();
        pods.close();
        cluster.close();
    }
}
