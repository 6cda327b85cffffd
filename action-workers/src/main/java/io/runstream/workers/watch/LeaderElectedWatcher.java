package io.runstream.workers.watch;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.runstream.workers.ActionWorkersConfig.LeaderElectionSettings;

/**
 * Runs the {@link DeploymentWatcher} on one worker replica at a time: the replica that holds the Kubernetes Lease
 * (fabric8's leader election) watches and publishes, the others stand by and take over when the Lease is not
 * renewed. So each rollout is published once however many replicas run; one that happens between a leader's
 * end and the next one's start is not reported (the new leader remembers existing Deployments, as any start does).
 */
public final class LeaderElectedWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderElectedWatcher.class);

    private final KubernetesClient client;
    private final LeaderElectionSettings settings;
    private final String identity;
    private final Supplier<DeploymentWatcher> watchers;
    private DeploymentWatcher active;
    private CompletableFuture<?> election;
    private volatile String leader;
    private volatile Throwable failure;
    private boolean closed;

    public LeaderElectedWatcher(KubernetesClient client, LeaderElectionSettings settings, String identity,
            Supplier<DeploymentWatcher> watchers) {
        this.client = client;
        this.settings = settings;
        this.identity = identity;
        this.watchers = watchers;
    }

    /** Joins the election and returns at once; the watcher starts when this replica leads. */
    public synchronized LeaderElectedWatcher start() {
        String namespace = settings.leaseNamespace().isBlank()
                ? (client.getNamespace() != null ? client.getNamespace() : "default") : settings.leaseNamespace();
        election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(settings.leaseName())
                .withLock(new LeaseLock(namespace, settings.leaseName(), identity))
                .withLeaseDuration(settings.leaseDuration())
                .withRenewDeadline(settings.renewDeadline())
                .withRetryPeriod(settings.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(this::startLeading, this::stopLeading, this::newLeader))
                .build()).build().start();
        LOG.info("{} in the election for Lease {}/{}", identity, namespace, settings.leaseName());
        // fabric8's election ends when leadership is lost: stand again, unless this replica is stopping
        election.whenComplete((ignored, e) -> {
            synchronized (this) {
                if (!closed) {
                    if (e != null) {
                        LOG.warn("leader election for {} ended, standing again", settings.leaseName(), e);
                    }
                    start();
                }
            }
        });
        return this;
    }

    private synchronized void startLeading() {
        LOG.info("{} leads: watching Deployments", identity);
        try {
            active = watchers.get().start();
            failure = null;
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("Deployment watcher did not start", e);
        }
    }

    private synchronized void stopLeading() {
        if (active != null) {
            LOG.info("{} no longer leads: Deployment watcher stopped", identity);
            active.close();
            active = null;
        }
    }

    private void newLeader(String holder) {
        leader = holder;
        LOG.info("Deployment watcher leader: {}", holder);
    }

    public synchronized boolean isLeading() {
        return active != null;
    }

    /** The identity holding the Lease as last seen, or null before any. */
    public String leader() {
        return leader;
    }

    /**
     * Null while the watcher this replica runs (if it leads) keeps watching; why not otherwise, for liveness: a
     * leader whose informer stopped for good publishes nothing and must be restarted. A standby has nothing to stop.
     */
    public synchronized String stoppedProblem() {
        return active == null ? null : active.stoppedProblem();
    }

    /** Null while leading with every informer watching, or while standing by; else what is wrong. */
    public synchronized String problem() {
        if (failure != null) {
            return "Deployment watcher did not start: " + failure;
        }
        return active != null ? active.problem() : null;
    }

    @Override
    public void close() {
        CompletableFuture<?> running;
        synchronized (this) {
            closed = true;
            running = election;
        }
        if (running != null) {
            // releaseOnCancel: the Lease is handed back at once, so another replica need not wait it out
            running.cancel(true);
        }
        stopLeading();
    }
}
