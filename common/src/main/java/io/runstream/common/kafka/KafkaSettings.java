package io.runstream.common.kafka;

import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

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

    /**
     * Client settings whose values are secrets (passwords, keys, JAAS configuration with its credentials) are
     * redacted, as Kafka's own config logging does, so this record can be logged.
     */
    @Override
    public String toString() {
        Map<String, String> shown = new java.util.TreeMap<>();
        client.forEach((key, value) -> shown.put(key, isSecret(key) ? "[hidden]" : value));
        return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", topicPrefix=" + topicPrefix + ", partitions="
                + partitions + ", replicationFactor=" + replicationFactor + ", client=" + shown + "]";
    }

    /**
     * Whether a client setting holds a secret: every setting the Kafka clients themselves type as PASSWORD
     * (passwords, PEM keys and certificates, {@code sasl.jaas.config}), and any other name that says so.
     */
    static boolean isSecret(String key) {
        if (PASSWORD_SETTINGS.contains(key)) {
            return true;
        }
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("password") || k.contains("jaas") || k.contains("secret") || k.endsWith(".key")
                || k.contains("credential") || k.contains("token");
    }

    private static final java.util.Set<String> PASSWORD_SETTINGS = passwordSettings();

    private static java.util.Set<String> passwordSettings() {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (ConfigDef definition : java.util.List.of(ProducerConfig.configDef(), ConsumerConfig.configDef(),
                AdminClientConfig.configDef())) {
            definition.configKeys().forEach((name, key) -> {
                if (key.type == ConfigDef.Type.PASSWORD) {
                    names.add(name);
                }
            });
        }
        return java.util.Set.copyOf(names);
    }

    private static TopicSettings topicSettings(String prefix, int partitions, short replicationFactor) {
        return new TopicSettings(prefix, partitions, replicationFactor);
    }
}
