package io.runstream.launcher.backtest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertSource;
import io.runstream.schemas.Topic;
import io.runstream.schemas.TopicCatalog;

/**
 * The recorded records of the topology's input topics whose record timestamps fall in {@code [from, to)} (less the
 * alerts the live detection derived, which each replay derives anew), read
 * (committed only) from a Kafka cluster and merged into one time-ordered list, as undecoded bytes: the replay
 * hands them to the topology exactly as the broker holds them, so an unreadable record meets the same dead-letter
 * handling it met live. Everything is held in memory (about the records' size), which bounds the range a machine
 * can backtest at once.
 */
public final class RecordedHistory {

    /** One recorded record: its topic (full name), key, value and record timestamp. */
    public record Recorded(String topic, byte[] key, byte[] value, long timestamp) {
    }

    private static final Duration POLL = Duration.ofMillis(500);

    private final List<Recorded> records;
    private final Map<String, Integer> countsByTopic;

    private RecordedHistory(List<Recorded> records, Map<String, Integer> countsByTopic) {
        this.records = records;
        this.countsByTopic = countsByTopic;
    }

    /**
     * The detection and incident inputs ({@code metric-samples}, {@code drift-scores}, {@code alerts},
     * {@code deployment-events}) and the recorded human and worker answers ({@code incident-commands},
     * {@code action-results}). A topic that does not exist contributes nothing.
     */
    public static RecordedHistory read(Properties clientProperties, TopicCatalog topics, Instant from, Instant to) {
        List<Topic<?, ?>> inputs = List.of(topics.metricSamples(), topics.driftScores(), topics.alerts(),
                topics.deploymentEvents(), topics.incidentCommands(), topics.actionResults());
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        List<Recorded> records = new ArrayList<>();
        Map<String, Integer> counts = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            for (Topic<?, ?> topic : inputs) {
                int before = records.size();
                Predicate<ConsumerRecord<byte[], byte[]>> keep = topic == topics.alerts()
                        ? record -> !derived(topics.alerts(), record) : record -> true;
                readTopic(consumer, topic.name(), from, to, keep, records);
                counts.put(topic.name(), records.size() - before);
            }
        }
        // stable: records of one partition keep their offset order when their timestamps tie
        records.sort(Comparator.comparingLong(Recorded::timestamp));
        return new RecordedHistory(records, counts);
    }

    /**
     * An alert the live detection derived from samples: each replay derives its own from the same samples with its
     * own rules, so replaying the recorded one would let the current rules decide for the candidate.
     */
    private static boolean derived(Topic<String, Alert> alerts, ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return false;
        }
        try {
            return alerts.valueSerde().deserializer().deserialize(record.topic(), record.value())
                    .getSource() == AlertSource.DETECTION;
        } catch (RuntimeException e) {
            return false; // unreadable: replayed, so that it meets the dead-letter handling it met live
        }
    }

    private static void readTopic(KafkaConsumer<byte[], byte[]> consumer, String topic, Instant from, Instant to,
            Predicate<ConsumerRecord<byte[], byte[]>> keep, List<Recorded> into) {
        List<PartitionInfo> infos = consumer.listTopics(Duration.ofSeconds(30)).get(topic);
        if (infos == null) {
            return;
        }
        List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, from.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(query);
        List<TopicPartition> open = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp start = starts.get(partition);
            if (start != null && start.offset() < ends.get(partition)) {
                consumer.seek(partition, start.offset());
                open.add(partition);
            }
        }
        consumer.assign(open);
        while (!open.isEmpty()) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (!open.contains(partition)) {
                    continue;
                }
                if (record.timestamp() >= from.toEpochMilli() && record.timestamp() < to.toEpochMilli()
                        && keep.test(record)) {
                    into.add(new Recorded(topic, record.key(), record.value(), record.timestamp()));
                }
            }
            // a partition is done at its end offset as it was when reading began (transaction markers included)
            open.removeIf(partition -> consumer.position(partition) >= ends.get(partition));
            consumer.assign(open);
        }
    }

    /** Every record, in record-timestamp order. */
    public List<Recorded> records() {
        return records;
    }

    /** How many records each topic contributed. */
    public Map<String, Integer> countsByTopic() {
        return countsByTopic;
    }
}
