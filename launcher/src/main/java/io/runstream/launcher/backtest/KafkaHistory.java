package io.runstream.launcher.backtest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

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
 * The history on a Kafka cluster: the detection and incident inputs ({@code metric-samples}, {@code drift-scores},
 * {@code alerts}, {@code deployment-events}) and the recorded human and worker answers ({@code incident-commands},
 * {@code action-results}), committed records only, less the alerts the live detection derived (each replay derives
 * its own). A topic that does not exist contributes nothing.
 *
 * <p>Each pass reads every partition from the first offset at {@code from} to the first offset at {@code to} plus
 * {@link #LATE_RECORDS} (or the end offset it had when the pass began, whichever is first), so a range early in a
 * long history does not read the rest of it; a record written more than that after later records of its partition
 * (its timestamp that much out of order) is not replayed (docs/backtest.md). It merges the partitions by record timestamp the way a stream task picks its next record: the partition
 * whose next record is oldest goes first, each partition in offset order. Memory is bounded: a partition holding
 * {@value #BUFFERED_PER_PARTITION} records ahead of the merge is paused until the merge has taken them.
 */
public final class KafkaHistory implements RecordedHistory {

    static final int BUFFERED_PER_PARTITION = 20_000;
    /**
     * How far past {@code to} a partition is still read for records whose timestamps are older than their offset
     * order says (samples a Prometheus sends late after a network partition, a connector catching up).
     */
    static final Duration LATE_RECORDS = Duration.ofHours(1);
    private static final Duration POLL = Duration.ofMillis(500);

    private final Properties clientProperties;
    private final List<Topic<?, ?>> inputs;
    private final Topic<String, Alert> alerts;
    private final long from;
    private final long to;

    public KafkaHistory(Properties clientProperties, TopicCatalog topics, Instant from, Instant to) {
        this.clientProperties = clientProperties;
        this.inputs = List.of(topics.metricSamples(), topics.driftScores(), topics.alerts(),
                topics.deploymentEvents(), topics.incidentCommands(), topics.actionResults());
        this.alerts = topics.alerts();
        this.from = from.toEpochMilli();
        this.to = to.toEpochMilli();
    }

    @Override
    public void forEach(Consumer<Recorded> sink) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            new Pass(consumer).run(sink);
        }
    }

    /** One read of the range: the partitions' buffers and the merge over them. */
    private final class Pass {
        private final KafkaConsumer<byte[], byte[]> consumer;
        /** In the order of {@link #inputs}, so that equal timestamps always replay in the same order. */
        private final List<Source> sources = new ArrayList<>();
        private final Map<TopicPartition, Source> byPartition = new HashMap<>();

        Pass(KafkaConsumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

        void run(Consumer<Recorded> sink) {
            open();
            while (true) {
                Source next = null;
                for (Source source : sources) {
                    if (source.buffer.isEmpty()) {
                        if (!source.done()) {
                            next = null; // its next record may be the oldest: fetch before merging on
                            fill();
                            break;
                        }
                        continue;
                    }
                    if (next == null || source.buffer.peekFirst().timestamp() < next.buffer.peekFirst().timestamp()) {
                        next = source;
                    }
                }
                if (next != null) {
                    sink.accept(next.take());
                } else if (sources.stream().allMatch(source -> source.buffer.isEmpty() && source.done())) {
                    return;
                }
            }
        }

        private void open() {
            Map<String, List<PartitionInfo>> existing = consumer.listTopics(Duration.ofSeconds(30));
            List<TopicPartition> partitions = new ArrayList<>();
            for (Topic<?, ?> topic : inputs) {
                List<PartitionInfo> infos = existing.get(topic.name());
                if (infos != null) {
                    infos.stream().map(info -> new TopicPartition(topic.name(), info.partition()))
                            .sorted(Comparator.comparingInt(TopicPartition::partition))
                            .forEach(partitions::add);
                }
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(partition -> query.put(partition, from));
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(query);
            Map<TopicPartition, Long> past = new HashMap<>();
            partitions.forEach(partition -> past.put(partition, to + LATE_RECORDS.toMillis()));
            Map<TopicPartition, OffsetAndTimestamp> cuts = consumer.offsetsForTimes(past);
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp start = starts.get(partition);
                OffsetAndTimestamp cut = cuts.get(partition);
                long end = cut == null ? ends.get(partition) : Math.min(cut.offset(), ends.get(partition));
                if (start != null && start.offset() < end) {
                    Source source = new Source(partition, start.offset(), end);
                    sources.add(source);
                    byPartition.put(partition, source);
                }
            }
            consumer.assign(byPartition.keySet());
            sources.forEach(source -> consumer.seek(source.partition, source.start));
        }

        /** Polls once, for the partitions that are neither done nor full. */
        private void fill() {
            List<TopicPartition> full = new ArrayList<>();
            List<TopicPartition> wanted = new ArrayList<>();
            for (Source source : sources) {
                (source.done() || source.buffer.size() >= BUFFERED_PER_PARTITION ? full : wanted)
                        .add(source.partition);
            }
            consumer.pause(full);
            consumer.resume(wanted);
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                Source source = byPartition.get(new TopicPartition(record.topic(), record.partition()));
                if (record.offset() >= source.end) {
                    continue; // past the range and its late records, or written after the pass began
                }
                if (record.timestamp() >= from && record.timestamp() < to
                        && !(record.topic().equals(alerts.name()) && derived(record))) {
                    source.buffer.add(new Recorded(record.topic(), record.key(), record.value(), record.timestamp()));
                }
            }
            // a partition is done at its end (transaction markers included)
            for (TopicPartition partition : wanted) {
                Source source = byPartition.get(partition);
                source.position = consumer.position(partition);
            }
        }

        /**
         * An alert the live detection derived from samples: each replay derives its own from the same samples with
         * its own rules, so replaying the recorded one would let the current rules decide for the candidate.
         */
        private boolean derived(ConsumerRecord<byte[], byte[]> record) {
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
    }

    /** One partition of the pass: where it ends, how far it has been fetched, and what the merge has not taken. */
    private static final class Source {
        final TopicPartition partition;
        final long start;
        final long end;
        long position;
        final ArrayDeque<Recorded> buffer = new ArrayDeque<>();

        Source(TopicPartition partition, long start, long end) {
            this.partition = partition;
            this.start = start;
            this.end = end;
            this.position = start;
        }

        boolean done() {
            return position >= end;
        }

        Recorded take() {
            return buffer.pollFirst();
        }
    }
}
