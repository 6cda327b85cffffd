package io.runstream.launcher.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertSource;
import io.runstream.avro.AlertStatus;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;

/** The history read from a real broker: every partition of every input, merged in time order, bounded. */
@WithKafka
class KafkaHistoryTest {

    private static final Instant FROM = Instant.parse("2026-11-30T00:00:00Z");
    private static final Instant TO = FROM.plusSeconds(3600);

    @Test
    void mergesPartitionsAndTopicsByRecordTimestampKeepingOnlyTheRangeAndTheAlertsNotDerived(TestKafka kafka)
            throws Exception {
        TopicCatalog topics = new TopicCatalog(new TopicSettings(kafka.uniqueId("history") + ".", 1, (short) 1),
                RunstreamSerdes.avro());
        String samples = topics.metricSamples().name();
        String alerts = topics.alerts().name();
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(samples, 2, (short) 1), new NewTopic(alerts, 1, (short) 1)))
                    .all().get();
        }
        // partition 0 holds more than a partition may buffer, one record a second; partition 1 one every 100 s,
        // so the merge must pause partition 0 and still interleave the two
        int many = KafkaHistory.BUFFERED_PER_PARTITION + 5_000;
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            send(producer, samples, 0, FROM.minusSeconds(1).toEpochMilli(), "before the range");
            for (int i = 0; i < many; i++) {
                send(producer, samples, 0, FROM.toEpochMilli() + i * 100L, "p0-" + i);
            }
            for (int i = 0; i < 25; i++) {
                send(producer, samples, 1, FROM.toEpochMilli() + i * 100_000L + 50, "p1-" + i);
            }
            send(producer, samples, 1, TO.toEpochMilli(), "at the range's end");
            producer.send(new ProducerRecord<>(alerts, 0, FROM.toEpochMilli() + 70, null,
                    topics.alerts().valueSerde().serializer().serialize(alerts, alert(AlertSource.DETECTION))));
            producer.send(new ProducerRecord<>(alerts, 0, FROM.toEpochMilli() + 80, null,
                    topics.alerts().valueSerde().serializer().serialize(alerts, alert(AlertSource.ALERTMANAGER))));
        }

        List<RecordedHistory.Recorded> read = new ArrayList<>();
        new KafkaHistory(kafka.clientProperties(), topics, FROM, TO).forEach(read::add);

        assertThat(read).hasSize(many + 25 + 1);
        assertThat(read).extracting(RecordedHistory.Recorded::timestamp).isSorted();
        assertThat(read).filteredOn(record -> record.topic().equals(alerts)).singleElement()
                .extracting(RecordedHistory.Recorded::timestamp).isEqualTo(FROM.toEpochMilli() + 80);
        assertThat(read).extracting(record -> record.value() == null ? "" : new String(record.value(),
                StandardCharsets.UTF_8)).doesNotContain("before the range", "at the range's end")
                .contains("p0-0", "p0-" + (many - 1), "p1-0", "p1-24");
    }

    @Test
    void stopsReadingAPartitionAnHourPastTheRangeKeepingTheLateRecordsBeforeThat(TestKafka kafka) throws Exception {
        TopicCatalog topics = new TopicCatalog(new TopicSettings(kafka.uniqueId("history-end") + ".", 1, (short) 1),
                RunstreamSerdes.avro());
        String samples = topics.metricSamples().name();
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(samples, 1, (short) 1))).all().get();
        }
        long hour = 3_600_000L;
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            send(producer, samples, 0, FROM.toEpochMilli(), "in range");
            send(producer, samples, 0, TO.toEpochMilli() + hour / 2, "half an hour past the range");
            send(producer, samples, 0, FROM.toEpochMilli() + 60_000, "late, within the hour");
            send(producer, samples, 0, TO.toEpochMilli() + 2 * hour, "two hours past the range");
            send(producer, samples, 0, FROM.toEpochMilli() + 120_000, "late, after the cut");
            for (int i = 0; i < 1_000; i++) {
                send(producer, samples, 0, TO.toEpochMilli() + 3 * hour + i, "the rest of the history");
            }
        }

        List<RecordedHistory.Recorded> read = new ArrayList<>();
        new KafkaHistory(kafka.clientProperties(), topics, FROM, TO).forEach(read::add);

        // a record more than an hour out of order is the documented limit (docs/backtest.md)
        assertThat(read).extracting(record -> new String(record.value(), StandardCharsets.UTF_8))
                .containsExactly("in range", "late, within the hour");
    }

    private static KafkaProducer<byte[], byte[]> producer(TestKafka kafka) {
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, int partition, long timestamp,
            String value) {
        producer.send(new ProducerRecord<>(topic, partition, timestamp, null, value.getBytes(StandardCharsets.UTF_8)));
    }

    private static Alert alert(AlertSource source) {
        return Alert.newBuilder().setFingerprint("f-" + source).setStatus(AlertStatus.FIRING)
                .setLabels(Map.of("alertname", "HighErrorRate", "service", "inference-gateway")).setAnnotations(Map.of())
                .setStartsAt(FROM).setSource(source).setReceivedAt(FROM).build();
    }
}
