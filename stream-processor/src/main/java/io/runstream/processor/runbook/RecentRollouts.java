package io.runstream.processor.runbook;

import java.time.Instant;

import org.apache.kafka.common.serialization.Serde;

import io.runstream.avro.DeploymentEvent;
import io.runstream.avro.RecentRolloutState;
import io.runstream.schemas.StateSerdes;

/**
 * The values of {@code recent-rollouts-store} (correlation key -> {@link RecentRolloutState}, the key's last
 * rollout). Releases before it kept the rollout time as decimal text; that is still read.
 */
public final class RecentRollouts {

    private RecentRollouts() {
    }

    public static Serde<RecentRolloutState> serde() {
        return StateSerdes.withPreviousText(RecentRolloutState.class, RecentRollouts::fromPreviousText);
    }

    static RecentRolloutState of(DeploymentEvent rollout) {
        return RecentRolloutState.newBuilder().setRolledOutAt(rollout.getRolledOutAt())
                .setNamespace(rollout.getNamespace()).setDeployment(rollout.getDeployment())
                .setRevision(rollout.getRevision()).build();
    }

    /** The previous release's value: the rollout's epoch millis as decimal text. */
    static RecentRolloutState fromPreviousText(String millis) {
        return RecentRolloutState.newBuilder().setRolledOutAt(Instant.ofEpochMilli(Long.parseLong(millis.trim())))
                .build();
    }
}
