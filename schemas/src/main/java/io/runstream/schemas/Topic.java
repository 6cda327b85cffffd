package io.runstream.schemas;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic with its name and both serdes, so no call site spells a topic name or picks a serde by hand.
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, TopicSpec spec) {
}
