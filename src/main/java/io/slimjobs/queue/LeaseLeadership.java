package io.slimjobs.queue;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one leadership of SlimJobs, held in a `coordination.k8s.io` Lease by fabric8's {@code LeaderElector}, offered to
 * Camel as a cluster service so that leader-only routes read `from("master:<any>:...")`. Every view, whatever its
 * namespace, reports this one Lease. Unlike Camel's KubernetesClusterService it decides from the Lease alone, so a
 * replica takes over once the Lease expires or is given up, without waiting for the old leader's pod to be seen gone.
 * <p>
 * This replica leads only while its last renewal is younger than the renew deadline, counted from before that
 * renewal was attempted. fabric8's elector cannot be trusted to say when it stops: once its client is closed its loop
 * ends silently, without a callback, and a renewal call that hangs delays its own deadline check. Another replica
 * takes over only after the renew time plus the lease duration, so the two never dispatch together.
 */
public final class LeaseLeadership extends AbstractCamelClusterService<LeaseLeadership.View> {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseLeadership.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String leaseName;
    private final String identity;
    private final Duration leaseDuration;
    private final Duration renewDeadline;
    private final Duration retryPeriod;
    private final Set<View> views = new CopyOnWriteArraySet<>();
    private volatile String leader;
    /** {@link System#nanoTime()} at which this replica's leadership lapses unless it renews the Lease. */
    private volatile long renewedUntil;
    private volatile boolean stopping;
    private CompletableFuture<?> election;
    private LeaderElector elector;

    public LeaseLeadership(KubernetesClient client, String namespace, String leaseName, String identity,
                           Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
        super("slimjobs-leadership");
        // the Lease holds whole seconds (leaseDurationSeconds) and the other replicas judge expiry from it
        if (leaseDuration.toMillis() % 1000 != 0 || leaseDuration.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("The lease duration (slimjobs.leader.lease-duration) must be a whole "
                    + "number of seconds, since a Lease stores seconds; got " + leaseDuration.toMillis() + " ms");
        }
        this.client = client;
        this.namespace = namespace;
        this.leaseName = leaseName;
        this.identity = identity;
        this.leaseDuration = leaseDuration;
        this.renewDeadline = renewDeadline;
        this.retryPeriod = retryPeriod;
    }

    /** Whether this replica holds the Lease (not {@code isLeader(namespace)}, which asks about one view). */
    public boolean leads() {
        return identity.equals(holder());
    }

    /** The leader as far as this replica knows: never itself once its renewals have lapsed. */
    private String holder() {
        String holder = leader;
        return identity.equals(holder) && System.nanoTime() - renewedUntil >= 0 ? null : holder;
    }

    public String identity() {
        return identity;
    }

    @Override
    protected void doStart() throws Exception {
        stopping = false;
        super.doStart();
        elect();
    }

    /** An elector is single-use: once it has stopped leading (a renewal failed), a fresh one competes again. */
    private synchronized void elect() {
        if (stopping) {
            return;
        }
        elector = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(leaseName)
                .withLock(new RenewalTimingLock(new LeaseLock(namespace, leaseName, identity)))
                .withLeaseDuration(leaseDuration)
                .withRenewDeadline(renewDeadline)
                .withRetryPeriod(retryPeriod)
                // released by doStop: on cancel, fabric8 would read the Lease on the connection the cancel closes
                .withReleaseOnCancel(false)
                .withLeaderCallbacks(new LeaderCallbacks(() -> leaderIs(identity), this::stoppedLeading,
                        this::leaderIs))
                .build()).build();
        election = elector.start();
        election.whenComplete((ignored, failure) -> elect());
    }

    /** Gives the Lease up at once (a graceful shutdown): another replica takes over without waiting for expiry. */
    @Override
    protected void doStop() throws Exception {
        CompletableFuture<?> running;
        LeaderElector stopped;
        synchronized (this) {
            stopping = true;
            running = election;
            stopped = elector;
        }
        boolean led = leads();
        stoppedLeading();
        if (running != null) {
            running.cancel(true);
            if (led) {
                release(stopped);
            }
        }
        super.doStop();
    }

    /** Shortens the Lease to a second, so that another replica takes it at once; a second try on a new connection. */
    private void release(LeaderElector stopped) {
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                stopped.release();
                LOG.info("This replica ({}) gave the Lease {} up", identity, leaseName);
                return;
            } catch (KubernetesClientException e) {
                if (attempt == 2) {
                    LOG.warn("This replica ({}) could not give the Lease {} up; another replica takes it once it "
                            + "expires: {}", identity, leaseName, e.getMessage());
                }
            }
        }
    }

    private void stoppedLeading() {
        if (identity.equals(leader)) {
            leaderIs(null);
        }
    }

    private synchronized void leaderIs(String holder) {
        String previous = leader;
        leader = holder == null || holder.isEmpty() ? null : holder;
        if (Objects.equals(previous, leader)) {
            return;
        }
        if (leads()) {
            LOG.info("This replica ({}) is now the leader (Lease {}): it dispatches", identity, leaseName);
        } else if (identity.equals(previous)) {
            LOG.warn("This replica ({}) is no longer the leader (Lease {}): it stops dispatching", identity, leaseName);
        } else {
            LOG.info("The leader is {} (Lease {})", leader, leaseName);
        }
        views.forEach(View::leadershipChanged);
    }

    /** A write of this replica as the holder succeeded: it leads until the renew deadline from {@code attempted}. */
    private void renewed(long attempted) {
        boolean lapsed = identity.equals(leader) && !leads();
        long until = attempted + renewDeadline.toNanos();
        renewedUntil = until;
        if (lapsed) {
            LOG.info("This replica ({}) renewed the Lease {} again: it dispatches", identity, leaseName);
            views.forEach(View::leadershipChanged);
        }
        CompletableFuture.delayedExecutor(renewDeadline.toMillis() + 1, TimeUnit.MILLISECONDS).execute(() -> {
            if (renewedUntil == until && identity.equals(leader)) {
                LOG.warn("This replica ({}) could not renew the Lease {} within {} ms: it stops dispatching", identity,
                        leaseName, renewDeadline.toMillis());
                views.forEach(View::leadershipChanged);
            }
        });
    }

    /** The Lease lock, timing each renewal from before the read that precedes it. */
    private final class RenewalTimingLock implements Lock {
        private final Lock lease;
        /** Only the elector's synchronized acquire-or-renew step reads and writes through this lock. */
        private long attempted;

        private RenewalTimingLock(Lock lease) {
            this.lease = lease;
        }

        @Override
        public LeaderElectionRecord get(KubernetesClient kubernetes) {
            attempted = System.nanoTime();
            return lease.get(kubernetes);
        }

        @Override
        public void create(KubernetesClient kubernetes, LeaderElectionRecord record) {
            lease.create(kubernetes, record);
            wrote(record);
        }

        @Override
        public void update(KubernetesClient kubernetes, LeaderElectionRecord record) {
            lease.update(kubernetes, record);
            wrote(record);
        }

        private void wrote(LeaderElectionRecord record) {
            if (identity.equals(record.getHolderIdentity())) {
                renewed(attempted);
            }
        }

        @Override
        public String identity() {
            return lease.identity();
        }

        @Override
        public String describe() {
            return lease.describe();
        }
    }

    @Override
    protected View createView(String viewNamespace) {
        View view = new View(viewNamespace);
        views.add(view);
        return view;
    }

    /** The Lease as seen from one `master:` namespace: this replica and, when another leads, that one. */
    public final class View extends AbstractCamelClusterView {

        private View(String viewNamespace) {
            super(LeaseLeadership.this, viewNamespace);
        }

        private void leadershipChanged() {
            if (isRunAllowed()) {
                fireLeadershipChangedEvent(getLeader().orElse(null));
            }
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            String holder = holder();
            return holder == null ? Optional.empty() : Optional.of(new Member(holder));
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return new Member(identity);
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return getLeader().filter(member -> !member.isLocal()).map(member -> List.of(getLocalMember(), member))
                    .orElseGet(() -> List.of(getLocalMember()));
        }
    }

    private final class Member implements CamelClusterMember {
        private final String id;

        private Member(String id) {
            this.id = id;
        }

        @Override
        public String getId() {
            return id;
        }

        @Override
        public boolean isLeader() {
            return id.equals(holder());
        }

        @Override
        public boolean isLocal() {
            return id.equals(identity);
        }
    }
}
