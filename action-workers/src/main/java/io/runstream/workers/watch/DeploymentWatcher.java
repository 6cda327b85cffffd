package io.runstream.workers.watch;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.runstream.avro.DeploymentEvent;
import io.runstream.schemas.PartitionKeys;

/**
 * Informers on Deployments (in the configured namespaces, or all) that hand a {@link DeploymentEvent}, keyed
 * namespace/deployment, to the sink for each new rollout revision; the stream processor uses them to ask
 * "was there a recent rollout?".
 */
public final class DeploymentWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeploymentWatcher.class);
    private static final long RESYNC_MILLIS = 10 * 60_000L;

    private final KubernetesClient client;
    private final List<String> namespaces;
    private final BiConsumer<String, DeploymentEvent> sink;
    private final RolloutDetector detector;
    private final List<SharedIndexInformer<Deployment>> informers = new ArrayList<>();

    public DeploymentWatcher(KubernetesClient client, List<String> namespaces,
            BiConsumer<String, DeploymentEvent> sink, Clock clock) {
        this.client = client;
        this.namespaces = List.copyOf(namespaces);
        this.sink = sink;
        this.detector = new RolloutDetector(clock);
    }

    /** Starts the informers and returns once each has listed its Deployments. */
    public DeploymentWatcher start() {
        ResourceEventHandler<Deployment> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(Deployment deployment) {
                publish(detector.added(deployment));
            }

            @Override
            public void onUpdate(Deployment before, Deployment after) {
                publish(detector.updated(after));
            }

            @Override
            public void onDelete(Deployment deployment, boolean finalStateUnknown) {
                detector.deleted(deployment);
            }
        };
        if (namespaces.isEmpty()) {
            informers.add(client.apps().deployments().inAnyNamespace().inform(handler, RESYNC_MILLIS));
        } else {
            namespaces.forEach(ns -> informers.add(client.apps().deployments().inNamespace(ns)
                    .inform(handler, RESYNC_MILLIS)));
        }
        LOG.info("watching Deployments in {}", namespaces.isEmpty() ? "all namespaces" : namespaces);
        return this;
    }

    private void publish(Optional<DeploymentEvent> event) {
        event.ifPresent(e -> sink.accept(PartitionKeys.deploymentEvent(e), e));
    }

    /** Null while every informer watches, else which does not. */
    public String problem() {
        for (int i = 0; i < informers.size(); i++) {
            if (!informers.get(i).isWatching()) {
                return "Deployment informer " + (namespaces.isEmpty() ? "for all namespaces" : "for namespace "
                        + namespaces.get(i)) + " is not watching";
            }
        }
        return null;
    }

    /**
     * Null while every informer runs (watching, or reconnecting after a dropped watch); which one stopped for good
     * otherwise, e.g. on a refused list: no rollout is published any more, only a restart helps.
     */
    public String stoppedProblem() {
        for (int i = 0; i < informers.size(); i++) {
            if (!informers.get(i).isRunning()) {
                return "Deployment informer " + (namespaces.isEmpty() ? "for all namespaces" : "for namespace "
                        + namespaces.get(i)) + " stopped";
            }
        }
        return null;
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
    }
}
