package io.slimjobs;

import java.util.concurrent.ScheduledExecutorService;

import io.slimjobs.events.AnnouncementRoutes;
import io.slimjobs.events.ExecutionAnnouncer;
import io.slimjobs.kube.ClusterConnection;
import io.slimjobs.kube.CronJobIndex;
import io.slimjobs.kube.DependencyIndex;
import io.slimjobs.kube.JobIndex;
import io.slimjobs.kube.PodIndex;
import io.slimjobs.queue.Dispatcher;
import io.slimjobs.queue.DispatcherRoutes;
import io.slimjobs.schedule.RunRecords;
import io.slimjobs.schedule.ScheduleStore;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Starts the informers (CronJobs, pods, dependencies, Jobs, schedules and their run records) and wires the
 * dispatcher and the announcer of finished executions to their routes with the Camel context, and stops them and the
 * connection with it.
 */
final class SlimJobsRuntime extends ServiceSupport {

    private final CamelContext context;
    private final ClusterConnection cluster;
    private final CronJobIndex cronJobs;
    private final PodIndex pods;
    private final DependencyIndex dependencies;
    private final JobIndex jobs;
    private final Dispatcher dispatcher;
    private final ScheduleStore schedules;
    private final RunRecords runRecords;
    private final ExecutionAnnouncer announcer;
    private ProducerTemplate routes;
    private ScheduledExecutorService dispatcherTimer;

    SlimJobsRuntime(CamelContext context, ClusterConnection cluster, CronJobIndex cronJobs, PodIndex pods,
                    DependencyIndex dependencies, JobIndex jobs, Dispatcher dispatcher, ScheduleStore schedules,
                    RunRecords runRecords, ExecutionAnnouncer announcer) {
        this.announcer = announcer;
        this.context = context;
        this.cluster = cluster;
        this.cronJobs = cronJobs;
        this.pods = pods;
        this.dependencies = dependencies;
        this.jobs = jobs;
        this.dispatcher = dispatcher;
        this.schedules = schedules;
        this.runRecords = runRecords;
    }

    @Override
    protected void doStart() {
        routes = context.createProducerTemplate();
        dispatcherTimer = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "dispatcher-timer");
        // the dispatcher weighs nothing before the definitions of the CronJobs are known: a name a CronJob defines
        // would be counted against Default's NumberParallelJob; the passes asked for until then are sent on start
        cronJobs.start().thenRun(() -> {
            if (isRunAllowed()) {
                dispatcher.start(capGroup -> routes.sendBody(DispatcherRoutes.PASSES, capGroup),
                        execution -> routes.requestBody(DispatcherRoutes.RELEASES, execution, Boolean.class),
                        dispatcherTimer);
            }
        });
        announcer.start(announcement -> routes.sendBody(AnnouncementRoutes.FINISHED, announcement));
        pods.start();
        // once the dependencies are read, every queued execution is weighed again: until then each waits
        dependencies.start().thenRun(dispatcher::resyncAll);
        jobs.start();
        schedules.start();
        runRecords.start();
    }

    @Override
    protected void doStop() throws Exception {
        announcer.stop();
        if (dispatcherTimer != null) {
            context.getExecutorServiceManager().shutdownNow(dispatcherTimer);
            routes.stop();
        }
        runRecords.close();
        schedules.close();
        jobs.close();
        cronJobs.close();
        dependencies.close();
        pods.close();
        cluster.close();
    }
}
