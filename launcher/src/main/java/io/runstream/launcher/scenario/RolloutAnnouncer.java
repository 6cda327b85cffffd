package io.runstream.launcher.scenario;

import io.runstream.avro.DeploymentEvent;

/**
 * Announces a rollout on {@code deployment-events}, as the workers' Deployment watcher does for a real cluster.
 * No ingest endpoint takes rollouts, so a scenario needs Kafka for this one record.
 */
public interface RolloutAnnouncer extends AutoCloseable {

    void announce(String key, DeploymentEvent rollout);

    @Override
    void close();
}
