package io.runstream.common.kafka;

import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.CommonClientConfigs;

import io.runstream.schemas.TopicSettings;

/**
 * Where Kafka is and how Runstream's topics are laid out on it. An empty {@code bootstrapServers}
 * means "start the embedded broker" for the launcher; services on their own require it.
 * {@code client} passes any Kafka client setting through (TLS, SASL, timeouts) to every client.
 */
public record KafkaSettings(String bootstrapServers, String topicPrefix, int partitions, short replicationFactor,
        Map<String, String> client) {

    public KafkaSettings {
        bootstrapServers = bootstrapServers == null ? "" : bootstrapServers.trim();
        client = client == null ? Map.of() : Map.copyOf(client);
        if (client.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("set kafka.bootstrapServers, not kafka.client.bootstrap.servers");
        }
        topicSettings(topicPrefix, partitions, replicationFactor);
    }

    public boolean hasBootstrapServers() {
        return !bootstrapServers.isEmpty();
    }

    public KafkaSettings withBootstrapServers(String servers) {
        return new KafkaSettings(servers, topicPrefix, partitions, replicationFactor, client);
    }

    public TopicSettings topicSettings() {
        return topicSettings(topicPrefix, partitions, replicationFactor);
    }

    /** Properties every Kafka client of the service starts from. */
    public Properties clientProperties() {
        if (!hasBootstrapServers()) {
            throw new IllegalStateException("kafka.bootstrapServers is not set (RUNSTREAM_KAFKA_BOOTSTRAP_SERVERS)");
        }
        Properties properties = new Properties();
        properties.putAll(client);
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return properties;
    }

    private static TopicSettings topicSettings(String prefix, int partitions, short replicationFactor) {
        return new TopicSettings(prefix, partitions, replicationFactor);
    }
}
