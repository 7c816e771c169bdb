package io.slimjobs.queue;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArraySet;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
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
    private volatile boolean stopping;
    private CompletableFuture<?> election;

    public LeaseLeadership(KubernetesClient client, String namespace, String leaseName, String identity,
                           Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
        super("slimjobs-leadership");
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
        return identity.equals(leader);
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
        election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(leaseName)
                .withLock(new LeaseLock(namespace, leaseName, identity))
                .withLeaseDuration(leaseDuration)
                .withRenewDeadline(renewDeadline)
                .withRetryPeriod(retryPeriod)
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(() -> leaderIs(identity), this::stoppedLeading,
                        this::leaderIs))
                .build()).build().start();
        election.whenComplete((ignored, failure) -> elect());
    }

    /** Gives the Lease up at once (a graceful shutdown): another replica takes over without waiting for expiry. */
    @Override
    protected void doStop() throws Exception {
        CompletableFuture<?> running;
        synchronized (this) {
            stopping = true;
            running = election;
        }
        if (running != null) {
            running.cancel(true);
        }
        stoppedLeading();
        super.doStop();
    }

    private void stoppedLeading() {
        if (leads()) {
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
            String holder = leader;
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
            return id.equals(leader);
        }

        @Override
        public boolean isLocal() {
            return id.equals(identity);
        }
    }
}
