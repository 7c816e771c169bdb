package io.slimjobs.api;

import static io.slimjobs.SlimJobsTestSupport.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.slimjobs.config.Definitions;
import io.slimjobs.config.JobsConfigurationLoader;
import io.slimjobs.demo.EmbeddedCluster;
import io.slimjobs.kube.CronJobIndex;
import io.slimjobs.kube.DependencyIndex;
import io.slimjobs.kube.JobIndex;
import io.slimjobs.kube.Labels;
import io.slimjobs.kube.PodIndex;
import io.slimjobs.observe.ExecutionDecisions;
import io.slimjobs.queue.CapGroups;
import io.slimjobs.queue.Dispatcher;
import io.slimjobs.queue.LeaseLeadership;
import io.slimjobs.schedule.ScheduleConfigMap;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    private static final String NAMESPACE = "readiness";

    @Test
    void should_not_be_ready_before_the_caches_have_synced() {
        try (EmbeddedCluster cluster = EmbeddedCluster.start(NAMESPACE, null)) {
            PodIndex pods = new PodIndex(cluster.client(), NAMESPACE, 0);
            JobIndex jobs = new JobIndex(cluster.client(), NAMESPACE, 0, pods, name -> name,
                    new DependencyIndex(cluster.client(), NAMESPACE, 0));
            Exchange exchange = exchange();

            assertEquals(new Health("DOWN", null, false), new Readiness(jobs, pods, cronJobs(cluster),
                    () -> true,
                    dispatcher(cluster, jobs, Clock.systemUTC()), notLeading(cluster)).check(exchange));
            assertEquals(503, exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        }
    }

    @Test
    void should_get_ready_once_the_api_server_answers_the_first_listings_it_failed() {
        try (EmbeddedCluster cluster = EmbeddedCluster.start(NAMESPACE, null)) {
            // the first listing of each cache fails, as when the API server is too slow at startup: a timeout, or here a
            // refusal, which the HTTP client does not retry itself as it does 5xx answers
            for (String listing : List.of("/api/v1/namespaces/" + NAMESPACE + "/pods?resourceVersion=0",
                    "/apis/batch/v1/namespaces/" + NAMESPACE + "/jobs?labelSelector=app.kubernetes.io%2Fmanaged-by"
                            + "%3Dslimjobs&resourceVersion=0",
                    "/apis/apps/v1/namespaces/" + NAMESPACE + "/deployments?resourceVersion=0",
                    "/apis/apps/v1/namespaces/" + NAMESPACE + "/statefulsets?resourceVersion=0",
                    "/api/v1/namespaces/" + NAMESPACE + "/configmaps?fieldSelector=metadata.name%3Dslimjobs-schedules"
                            + "&resourceVersion=0")) {
                cluster.expect().get().withPath(listing).andReturn(403, new StatusBuilder().withStatus("Failure")
                        .withCode(403).withReason("Forbidden").withMessage("not yet").build()).once();
            }
            PodIndex pods = new PodIndex(cluster.client(), NAMESPACE, 0);
            DependencyIndex dependencies = new DependencyIndex(cluster.client(), NAMESPACE, 0);
            JobIndex jobs = new JobIndex(cluster.client(), NAMESPACE, 0, pods, name -> name, dependencies);
            ScheduleConfigMap schedules = new ScheduleConfigMap(cluster.client(), NAMESPACE, "slimjobs-schedules", 0);
            pods.start();
            jobs.start();
            dependencies.start();
            schedules.start();

            awaitUntil("every cache synced after its failed first listing", () -> pods.hasSynced() && jobs.hasSynced()
                    && dependencies.hasSynced() && schedules.hasSynced());
            jobs.close();
            pods.close();
            dependencies.close();
            schedules.close();
        }
    }

    @Test
    void should_be_neither_ready_nor_live_once_the_dispatcher_has_died() {
        ExecutorService loop = Executors.newSingleThreadExecutor();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (EmbeddedCluster cluster = EmbeddedCluster.start(NAMESPACE, null)) {
            PodIndex pods = new PodIndex(cluster.client(), NAMESPACE, 0);
            JobIndex jobs = new JobIndex(cluster.client(), NAMESPACE, 0, pods, name -> name,
                    new DependencyIndex(cluster.client(), NAMESPACE, 0));
            Dispatcher dispatcher = dispatcher(cluster, jobs, new BrokenClock());
            jobs.onChange(dispatcher::enqueue);
            pods.start();
            jobs.start();
            Readiness readiness = new Readiness(jobs, pods, cronJobs(cluster), () -> true, dispatcher,
                    notLeading(cluster));
            dispatcher.start(capGroup -> loop.submit(() -> {
                dispatcher.dequeued(capGroup);
                dispatcher.pass(capGroup);
            }), dispatcher::releaseNow, timer);
            awaitUntil("caches synced", () -> jobs.hasSynced() && pods.hasSynced());
            assertEquals(new Health("UP", null, null), readiness.live(exchange()));

            cluster.client().batch().v1().jobs().inNamespace(NAMESPACE).resource(new JobBuilder()
                    .withNewMetadata().withName("any-1").addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                    .addToLabels(Labels.JOB, "any").addToLabels(Labels.ID, "1").endMetadata()
                    .withNewSpec().withSuspend(true).withNewTemplate().withNewSpec().addNewContainer().withName("a")
                    .withImage("busybox:1.36").endContainer().endSpec().endTemplate().endSpec().build()).create();
            awaitUntil("dispatcher stopped", () -> dispatcher.stoppedBy().isPresent());

            Exchange ready = exchange();
            Health answer = readiness.check(ready);
            assertEquals("DOWN", answer.status());
            assertTrue(answer.message().contains("dispatcher stopped") && answer.message().contains("clock broke"),
                    answer::toString);
            assertEquals(503, ready.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
            Exchange liveness = exchange();
            assertEquals("DOWN", readiness.live(liveness).status());
            assertEquals(503, liveness.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
            jobs.close();
            pods.close();
        } finally {
            loop.shutdownNow();
            timer.shutdownNow();
        }
    }

    /** A clock whose every read fails the way a JVM out of resources does. */
    private static final class BrokenClock extends Clock {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            throw new AssertionError("clock broke");
        }
    }

    private static Dispatcher dispatcher(EmbeddedCluster cluster, JobIndex jobs, Clock clock) {
        var configuration = JobsConfigurationLoader.builtInDefault();
        return new Dispatcher(cluster.client(), NAMESPACE, jobs, new CapGroups(new Definitions(configuration)), clock,
                Duration.ofMinutes(5), new DependencyIndex(cluster.client(), NAMESPACE, 0), new ExecutionDecisions());
    }

    private static CronJobIndex cronJobs(EmbeddedCluster cluster) {
        return new CronJobIndex(cluster.client(), NAMESPACE, 0);
    }

    /** A replica that has not joined the election: it never leads. */
    private static LeaseLeadership notLeading(EmbeddedCluster cluster) {
        return new LeaseLeadership(cluster.client(), NAMESPACE, "slimjobs-leader", "replica-1",
                Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
    }

    private static Exchange exchange() {
        return new DefaultExchange(new DefaultCamelContext());
    }
}
