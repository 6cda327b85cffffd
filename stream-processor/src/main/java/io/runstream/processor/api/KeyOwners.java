package io.runstream.processor.api;

import java.util.function.Supplier;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/** Which instance owns a key of a store, by Kafka Streams' own partition metadata. */
final class KeyOwners {

    private final Supplier<KafkaStreams> streams;

    KeyOwners(Supplier<KafkaStreams> streams) {
        this.streams = streams;
    }

    /** The active owner's address; {@link NotReady} while that is not known (starting, rebalancing). */
    HostInfo ownerOf(String store, String key) {
        return metadata(store, key).activeHost();
    }

    /** The partition of the store that holds the key. */
    int partitionOf(String store, String key) {
        return metadata(store, key).partition();
    }

    private KeyQueryMetadata metadata(String store, String key) {
        KafkaStreams current = streams.get();
        if (current == null || current.state() != KafkaStreams.State.RUNNING) {
            throw new NotReady("stream processor is " + (current == null ? "starting" : current.state()));
        }
        KeyQueryMetadata metadata = current.queryMetadataForKey(store, key, Serdes.String().serializer());
        if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            throw new NotReady("the owner of " + key + " is not known yet (rebalancing)");
        }
        return metadata;
    }
}
