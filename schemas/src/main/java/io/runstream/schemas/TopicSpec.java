package io.runstream.schemas;

import java.util.Map;
import java.util.Objects;

/**
 * What a topic must look like: its full name (prefix included), partition count, replication factor
 * and the topic-level configs Runstream depends on (cleanup policy, retention).
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions of topic " + name + " must be >= 1, was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor of topic " + name + " must be >= 1, was "
                    + replicationFactor);
        }
        configs = Map.copyOf(configs);
    }

    public String cleanupPolicy() {
        return configs.getOrDefault("cleanup.policy", "delete");
    }
}
