package io.runstream.processor.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertStatus;
import io.runstream.avro.DriftScore;
import io.runstream.avro.MetricKind;
import io.runstream.avro.MetricSample;
import io.runstream.avro.ServiceHealth;
import io.runstream.processor.StateStores;
import io.runstream.processor.rules.RulesFile;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicProvisioner;
import io.runstream.schemas.TopicSettings;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;

/**
 * Detection alone on the real broker with exactly_once_v2 and RocksDB stores: the alerts arrive committed,
 * and the service health is served by interactive queries.
 */
@WithKafka
class DetectionThroughBrokerIT {

    private static final String SERVICE = "inference-gateway";
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path stateDir;

    @Test
    void detectsHighErrorRateAndDataDriftThroughTheBroker(TestKafka kafka) throws IOException {
        TopicCatalog topics = new TopicCatalog(new TopicSettings(kafka.topicPrefix(), 2, (short) 1),
                RunstreamSerdes.avro());
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(topics.specs());
        }
        StreamsBuilder builder = new StreamsBuilder();
        DetectionStage.addTo(builder, StateStores.persistent(), topics, RulesFile.defaults(),
                DetectionMetrics.inMemory());
        try (KafkaStreams streams = new KafkaStreams(builder.build(), streamsProperties(kafka));
                KafkaConsumer<String, Alert> alerts = alertsConsumer(kafka, topics)) {
            streams.start();
            produceSamplesAndDrift(kafka, topics);
            alerts.subscribe(List.of(topics.alerts().name()));

            List<Alert> received = new ArrayList<>();
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                for (ConsumerRecord<String, Alert> record : alerts.poll(Duration.ofMillis(200))) {
                    received.add(record.value());
                }
                assertThat(received).extracting(alert -> alert.getLabels().get("alertname") + "/"
                        + alert.getLabels().get("severity") + "/" + alert.getStatus())
                        .contains("HighErrorRate/critical/FIRING", "DataDrift/warning/FIRING");
            });
            assertThat(received).allSatisfy(alert -> assertThat(alert.getStatus()).isEqualTo(AlertStatus.FIRING));

            ReadOnlyKeyValueStore<String, ServiceHealth> health = streams.store(StoreQueryParameters.fromNameAndType(
                    DetectionStage.SERVICE_HEALTH_STORE, QueryableStoreTypes.<String, ServiceHealth>keyValueStore()));
            assertThat(health.get(SERVICE).getErrorRate()).isCloseTo(0.12, within(1e-9));
            streams.close(Duration.ofSeconds(30));
        }
    }

    private static void produceSamplesAndDrift(TestKafka kafka, TopicCatalog topics) {
        Properties props = kafka.clientProperties();
        try (KafkaProducer<String, MetricSample> samples = new KafkaProducer<>(props,
                topics.metricSamples().keySerde().serializer(), topics.metricSamples().valueSerde().serializer());
                KafkaProducer<String, DriftScore> drift = new KafkaProducer<>(props,
                        topics.driftScores().keySerde().serializer(), topics.driftScores().valueSerde().serializer())) {
            for (long second = 0; second <= 240; second += 15) {
                Instant time = T0.plusSeconds(second);
                send(samples, topics, "200", 100_000 + 88.0 * second, time);
                send(samples, topics, "500", 5_000 + 12.0 * second, time);
            }
            drift.send(new ProducerRecord<>(topics.driftScores().name(), null, T0.toEpochMilli(), "fraud-scorer",
                    DriftScore.newBuilder().setModel("fraud-scorer").setService(SERVICE).setNamespace("ml-serving")
                            .setDatasetDrift(true).setDriftShare(0.45).setFeatureScores(Map.of("age", 0.7))
                            .setTimestamp(T0).build()));
        }
    }

    private static void send(KafkaProducer<String, MetricSample> producer, TopicCatalog topics, String status,
            double value, Instant time) {
        producer.send(new ProducerRecord<>(topics.metricSamples().name(), null, time.toEpochMilli(), SERVICE,
                MetricSample.newBuilder().setName("http_requests_total").setService(SERVICE)
                        .setLabels(Map.of("status", status, "namespace", "ml-serving")).setKind(MetricKind.COUNTER)
                        .setValue(value).setTimestamp(time).build()));
    }

    private Properties streamsProperties(TestKafka kafka) throws IOException {
        Properties props = kafka.clientProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, kafka.uniqueId("detection"));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(stateDir.resolve("state")).toString());
        return props;
    }

    private static KafkaConsumer<String, Alert> alertsConsumer(TestKafka kafka, TopicCatalog topics) {
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.uniqueId("alerts-reader"));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, topics.alerts().keySerde().deserializer(),
                topics.alerts().valueSerde().deserializer());
    }
}
