package io.runstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import io.runstream.avro.RecentRolloutState;

/** A store value written as text by an earlier release still reads; what it writes is Avro. */
class StateSerdesTest {

    private final Serde<RecentRolloutState> serde = StateSerdes.withPreviousText(RecentRolloutState.class,
            text -> RecentRolloutState.newBuilder().setRolledOutAt(Instant.ofEpochMilli(Long.parseLong(text)))
                    .build());

    @Test
    void writesSingleObjectEncodingAndReadsItBack() {
        RecentRolloutState rollout = RecentRolloutState.newBuilder().setRolledOutAt(Instant.ofEpochMilli(1_000))
                .setNamespace("ml-prod").setDeployment("inference-gateway").setRevision(7L).build();

        byte[] written = serde.serializer().serialize("recent-rollouts-store", rollout);

        assertThat(StateSerdes.isSingleObject(written)).isTrue();
        assertThat(serde.deserializer().deserialize("recent-rollouts-store", written)).isEqualTo(rollout);
    }

    @Test
    void readsThePreviousReleasesText() {
        byte[] previous = "1767225600000".getBytes(StandardCharsets.UTF_8);

        RecentRolloutState read = serde.deserializer().deserialize("recent-rollouts-store", previous);

        assertThat(read.getRolledOutAt()).isEqualTo(Instant.ofEpochMilli(1_767_225_600_000L));
        assertThat(read.getRevision()).isNull();
    }

    @Test
    void refusesBytesThatAreNeitherNamingTheStore() {
        byte[] garbage = "not a time".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> serde.deserializer().deserialize("recent-rollouts-store", garbage))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("RecentRolloutState")
                .hasMessageContaining("recent-rollouts-store")
                .hasMessageContaining("previous release's text");
    }
}
