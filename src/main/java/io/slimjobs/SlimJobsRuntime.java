package io.slimjobs;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

import io.slimjobs.kube.ClusterConnection;
import io.slimjobs.kube.JobIndex;
import io.slimjobs.kube.PodIndex;
import io.slimjobs.queue.Dispatcher;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

/** Starts the informers and the dispatcher with the Camel context, and stops them and the connection with it. */
final class SlimJobsRuntime extends ServiceSupport {

    private final CamelContext context;
    private final ClusterConnection cluster;
    private final PodIndex pods;
    private final JobIndex jobs;
    private final Dispatcher dispatcher;
    private ExecutorService dispatcherThread;
    private ScheduledExecutorService dispatcherTimer;

    SlimJobsRuntime(CamelContext context, ClusterConnection cluster, PodIndex pods, JobIndex jobs,
                    Dispatcher dispatcher) {
        this.context = context;
        this.cluster = cluster;
        this.pods = pods;
        this.jobs = jobs;
        this.dispatcher = dispatcher;
    }

    @Override
    protected void doStart() {
        pods.start();
        jobs.start();
        dispatcherThread = context.getExecutorServiceManager().newSingleThreadExecutor(this, "dispatcher");
        dispatcherTimer = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "dispatcher-timer");
        dispatcher.start(dispatcherThread, dispatcherTimer);
    }

    @Override
    protected void doStop() {
        if (dispatcherThread != null) {
            context.getExecutorServiceManager().shutdownNow(dispatcherThread);
            context.getExecutorServiceManager().shutdownNow(dispatcherTimer);
        }
        jobs.close();
        pods.close();
        cluster.close();
    }
}
