package io.runstream.processor;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;

import io.runstream.avro.Incident;
import io.runstream.schemas.Topic;
import io.runstream.schemas.TopicCatalog;

/**
 * Wires the pipeline's stages, in the order of DESIGN.md, and nothing else. The stages themselves live in
 * their own packages.
 */
public final class RunstreamTopology {

    public static final String INCIDENTS_STORE = "incidents-store";

    private RunstreamTopology() {
    }

    public static Topology build(TopicCatalog topics) {
        StreamsBuilder builder = new StreamsBuilder();
        Topic<String, Incident> incidents = topics.incidents();
        // Read side for the incident API: the latest state of every incident.
        builder.table(incidents.name(),
                Consumed.with(incidents.keySerde(), incidents.valueSerde()).withName("incidents-source"),
                Materialized.<String, Incident, KeyValueStore<Bytes, byte[]>>as(INCIDENTS_STORE)
                        .withKeySerde(incidents.keySerde()).withValueSerde(incidents.valueSerde()));
        return builder.build();
    }
}
