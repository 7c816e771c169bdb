package io.slimjobs.queue;

import static io.slimjobs.SlimJobsTestSupport.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.slimjobs.HttpCaller;
import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.PackagedJar;
import io.slimjobs.demo.EmbeddedCluster;
import io.slimjobs.kube.Labels;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packaged jars sharing one API server (the test's, whose pods succeed by themselves after a short run): a stream of
 * executions under one NumberParallelJob goes through a leader killed without a word and a leader stopped gracefully,
 * as the API server and an operator watching it see it.
 */
class HighAvailabilityIT {

    private static final String NAMESPACE = "high-availability";
    private static final String JOB = "stream";
    private static final int CAP = 5;
    /** Finished Jobs stay for the whole test (the default TTL is 60 s), so that the API server shows every one. */
    private static final String CONFIGURATION = "{\"Configurations\": {\"" + JOB + "\": {\"Image\": \"busybox:1.36\", "
            + "\"Visibility\": \"Public\", \"NumberParallelJob\": " + CAP + ", \"TtlSecondsAfterFinished\": 3600}}}";
    /** Long enough that a hand-over waiting for the Lease to expire could not pass for a graceful one (≤ 5 s). */
    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final Duration RUN = Duration.ofMillis(100);
    /** Executions triggered through both replicas, then through the survivor while the leader is killed, then after. */
    private static final int FIRST = 400;
    private static final int THROUGH_THE_KILL = 300;
    private static final int AFTER_THE_KILL = 300;

    @TempDir
    Path home;
    private EmbeddedCluster cluster;
    private ReleaseObserver observer;
    private SharedIndexInformer<Lease> leaseWatch;
    /** Who the Lease named, each time it changed, with the {@link System#nanoTime()} it was seen at. */
    private final List<Holder> holders = new CopyOnWriteArrayList<>();
    private final List<Replica> replicas = new ArrayList<>();
    private final List<String> triggered = new CopyOnWriteArrayList<>();
    private final AtomicInteger mostSampled = new AtomicInteger();
    private final AtomicInteger samples = new AtomicInteger();
    private volatile boolean sampling = true;

    private record Holder(String identity, long seenAtNanos) {
    }

    private record Replica(String identity, Process process, HttpCaller http) {

        boolean leads() {
            Answer ready = http.call(HttpCaller.OUTSIDER, "GET", "/ready", Map.of(), null);
            return ready.json().path("Leader").asBoolean();
        }
    }

    @BeforeEach
    void startCluster() {
        cluster = EmbeddedCluster.start(NAMESPACE, RUN);
        observer = new ReleaseObserver(cluster.client(), NAMESPACE, name -> name);
        leaseWatch = cluster.client().leases().inNamespace(NAMESPACE).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Lease lease) {
                seen(lease);
            }

            @Override
            public void onUpdate(Lease before, Lease after) {
                seen(after);
            }

            @Override
            public void onDelete(Lease lease, boolean finalStateUnknown) {
            }
        });
    }

    private synchronized void seen(Lease lease) {
        String identity = String.valueOf(lease.getSpec().getHolderIdentity());
        if (holders.isEmpty() || !holders.get(holders.size() - 1).identity().equals(identity)) {
            holders.add(new Holder(identity, System.nanoTime()));
        }
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        sampling = false;
        for (Replica replica : replicas) {
            replica.process().destroyForcibly();
            replica.process().waitFor(20, TimeUnit.SECONDS);
        }
        leaseWatch.close();
        observer.close();
        cluster.close();
    }

    private Replica start(String identity) throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        Process process = PackagedJar.start(home, home.resolve(identity + ".log"), Map.of(
                "SLIMJOBS_HTTP_PORT", String.valueOf(port),
                "SLIMJOBS_KUBERNETES_MASTER_URL", cluster.masterUrl(),
                "SLIMJOBS_NAMESPACE", NAMESPACE,
                "SlimFaas__JobsConfiguration", CONFIGURATION,
                "SLIMJOBS_LEADER_LEASE_DURATION", String.valueOf(LEASE.toMillis()),
                "SLIMJOBS_LEADER_RENEW_DEADLINE", "3000",
                "SLIMJOBS_LEADER_RETRY_PERIOD", "500",
                "POD_NAME", identity));
        Replica replica = new Replica(identity, process, new HttpCaller(port));
        replicas.add(replica);
        return replica;
    }

    private void awaitReady(Replica... replicas) throws Exception {
        for (Replica replica : replicas) {
            try {
                PackagedJar.awaitAnswer(replica.identity() + " ready",
                        () -> replica.http().call(HttpCaller.OUTSIDER, "GET", "/ready", Map.of(), null), 200);
            } catch (AssertionError notReady) {
                throw new AssertionError(notReady.getMessage() + ":\n"
                        + Files.readString(home.resolve(replica.identity() + ".log")), notReady);
            }
        }
    }

    /** Triggers {@code count} executions, spread evenly over the replicas, each replica called from its own thread. */
    private void trigger(int count, Replica... through) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(through.length);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int r = 0; r < through.length; r++) {
                HttpCaller http = through[r].http();
                int share = count / through.length + (r < count % through.length ? 1 : 0);
                calls.add(callers.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        Answer answer = http.call(HttpCaller.OUTSIDER, "POST", "/job/" + JOB,
                                Map.of("Content-Type", "application/json"), "{}");
                        assertEquals(202, answer.status(), answer::toString);
                        triggered.add(answer.json().get("Id").asText());
                    }
                    return null;
                }));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        } finally {
            callers.shutdownNow();
        }
    }

    private List<Job> jobs() {
        return cluster.client().batch().v1().jobs().inNamespace(NAMESPACE).withLabel(Labels.MANAGED_BY).list()
                .getItems();
    }

    /** Samples the API server: Jobs unsuspended and not finished hold the slots NumberParallelJob bounds. */
    private void sampleTheApi() {
        Thread sampler = new Thread(() -> {
            while (sampling) {
                try {
                    int active = (int) jobs().stream().filter(job -> Boolean.FALSE.equals(job.getSpec().getSuspend())
                            && !ReleaseObserver.finished(job)).count();
                    mostSampled.accumulateAndGet(active, Math::max);
                    samples.incrementAndGet();
                } catch (KubernetesClientException slowListing) {
                    // a listing that timed out on a busy machine is a sample missed, not the end of sampling
                }
                try {
                    // each sample lists up to a thousand Jobs; the watch sees every transition between samples
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "api-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /**
     * From {@code since} to the first release seen once the Lease names a successor of {@code previous}: what a
     * replica that no longer leads might still have released is not counted.
     */
    private Duration handOver(String previous, long since) {
        awaitUntil("a release by a successor of " + previous, LEASE.plusSeconds(15),
                () -> releaseBySuccessor(previous, since) > 0);
        return Duration.ofNanos(releaseBySuccessor(previous, since) - since);
    }

    private Optional<Holder> successor(String previous, long since) {
        return holders.stream().filter(h -> h.seenAtNanos() >= since && h.identity().startsWith("slimjobs-")
                && !h.identity().equals(previous)).findFirst();
    }

    private long releaseBySuccessor(String previous, long since) {
        long took = successor(previous, since).map(Holder::seenAtNanos).orElse(Long.MAX_VALUE);
        return observer.releases().stream().mapToLong(ReleaseObserver.Release::seenAtNanos)
                .filter(seen -> seen >= took).findFirst().orElse(0);
    }

    private Replica named(String identity) {
        return replicas.stream().filter(r -> r.identity().equals(identity)).findFirst().orElseThrow();
    }

    private long queued() {
        return jobs().stream().filter(job -> Boolean.TRUE.equals(job.getSpec().getSuspend())).count();
    }

    @Test
    void should_dispatch_through_a_killed_and_a_stopped_leader_never_exceeding_the_cap_nor_releasing_twice()
            throws Exception {
        sampleTheApi();
        Replica a = start("slimjobs-a");
        Replica b = start("slimjobs-b");
        awaitReady(a, b);
        awaitUntil("a leader", () -> a.leads() || b.leads());

        trigger(FIRST, a, b);
        awaitUntil("100 released", Duration.ofSeconds(60), () -> observer.releases().size() >= 100);
        Replica killed = a.leads() ? a : b;
        Replica survivor = killed == a ? b : a;
        // the stream goes on through the survivor while the leader dies
        ExecutorService background = Executors.newSingleThreadExecutor();
        Future<?> throughTheKill = background.submit(() -> {
            trigger(THROUGH_THE_KILL, survivor);
            return null;
        });
        background.shutdown();
        awaitUntil("triggers flowing through the survivor", () -> triggered.size() >= FIRST + 20);
        long kill = System.nanoTime();
        // no shutdown hook runs: the Lease is neither given up nor renewed, it expires
        killed.process().destroyForcibly();
        Duration hardKill = handOver(killed.identity(), kill);
        System.out.println("HA: hard-kill takeover " + hardKill.toMillis() + " ms");
        throughTheKill.get();

        Replica standby = start("slimjobs-c");
        awaitReady(standby);
        trigger(AFTER_THE_KILL, survivor, standby);
        Replica leader = named(successor(killed.identity(), kill).orElseThrow().identity());
        assertTrue(queued() > 0, "executions wait in the queue while the leader stops");
        long stop = System.nanoTime();
        leader.process().destroy();
        Duration graceful = handOver(leader.identity(), stop);
        System.out.println("HA: graceful hand-over " + graceful.toMillis() + " ms");

        awaitUntil("every execution finished", Duration.ofSeconds(180),
                () -> jobs().stream().filter(ReleaseObserver::finished).count() == triggered.size());
        sampling = false;
        List<Job> jobs = jobs();
        Set<String> ids = jobs.stream().map(job -> job.getMetadata().getLabels().get(Labels.ID))
                .collect(Collectors.toSet());
        assertEquals(new HashSet<>(triggered), ids, "one Job per accepted trigger, none lost, none made twice");
        Map<String, Long> releases = observer.releases().stream()
                .collect(Collectors.groupingBy(ReleaseObserver.Release::id, Collectors.counting()));
        System.out.println("HA: releases per execution over " + triggered.size() + " executions: "
                + Set.copyOf(releases.values()));
        System.out.println("HA: most active at once over " + triggered.size() + " executions, cap " + CAP + ": "
                + observer.mostActiveAtOnce(JOB) + " watched, " + mostSampled.get() + " sampled in " + samples.get()
                + " samples");
        assertEquals(ids, releases.keySet(), "every execution released");
        assertEquals(Set.of(1L), Set.copyOf(releases.values()), "no execution released twice");
        assertTrue(observer.mostActiveAtOnce(JOB) <= CAP, "NumberParallelJob held, as watched");
        assertTrue(samples.get() > 0, "the API server was sampled");
        assertTrue(mostSampled.get() <= CAP, "NumberParallelJob held, as sampled");
        assertTrue(hardKill.compareTo(LEASE.plusSeconds(5)) <= 0, "hard-kill takeover within lease + 5 s: " + hardKill);
        assertTrue(graceful.compareTo(Duration.ofSeconds(5)) <= 0, "graceful hand-over within 5 s: " + graceful);
    }
}
