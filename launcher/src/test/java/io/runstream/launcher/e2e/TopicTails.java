package io.runstream.launcher.e2e;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.runstream.schemas.Topic;
import io.runstream.schemas.TopicCatalog;

/**
 * For a failing end-to-end run: the last records of each Runstream topic, decoded, so the report shows how far
 * the story got (was the rollout published? did the rollback command go out? what did the worker answer?).
 */
public final class TopicTails {

    private static final int LAST = 30;

    private TopicTails() {
    }

    public static String of(Properties clientProperties, TopicCatalog catalog) {
        StringBuilder out = new StringBuilder();
        for (Topic<String, ?> topic : List.of(catalog.alerts(), catalog.deploymentEvents(), catalog.actionCommands(),
                catalog.actionResults(), catalog.incidentEvents(), catalog.incidentCommands())) {
            out.append("--- last ").append(LAST).append(" of ").append(topic.name()).append('\n');
            try {
                tail(clientProperties, topic).forEach(line -> out.append(line).append('\n'));
            } catch (RuntimeException e) {
                out.append("(unreadable: ").append(e).append(")\n");
            }
        }
        return out.toString();
    }

    private static <V> Deque<String> tail(Properties clientProperties, Topic<String, V> topic) {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-tail-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Deque<String> last = new ArrayDeque<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            var end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline
                    && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    last.addLast(describe(topic, record));
                    if (last.size() > LAST) {
                        last.removeFirst();
                    }
                }
            }
        }
        return last;
    }

    private static <V> String describe(Topic<String, V> topic, ConsumerRecord<byte[], byte[]> record) {
        String key = topic.keySerde().deserializer().deserialize(topic.name(), record.key());
        String value;
        try {
            value = String.valueOf(topic.valueSerde().deserializer().deserialize(topic.name(), record.value()));
        } catch (RuntimeException e) {
            value = "(undecodable: " + e.getMessage() + ")";
        }
        return record.partition() + "@" + record.offset() + " " + key + " = " + value;
    }
}
