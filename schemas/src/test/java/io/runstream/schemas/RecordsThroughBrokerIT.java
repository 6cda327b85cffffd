package io.runstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionResult;
import io.runstream.avro.Alert;
import io.runstream.avro.DeploymentEvent;
import io.runstream.avro.DriftScore;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentCommand;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.MetricSample;

import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;

/** Every record type goes through the real broker on its own topic and comes back equal. */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordsThroughBrokerIT {

    private static final int RECORDS = 25;
    private TestKafka kafka;
    private TopicCatalog catalog;

    @BeforeAll
    void provisionTopics(TestKafka kafka) {
        this.kafka = kafka;
        this.catalog = new TopicCatalog(new TopicSettings(kafka.topicPrefix(), 1, (short) 1), RunstreamSerdes.avro());
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(catalog.specs());
        }
    }

    Stream<Arguments> recordTopics() {
        return Stream.of(
                Arguments.of(catalog.alerts(), Alert.class),
                Arguments.of(catalog.metricSamples(), MetricSample.class),
                Arguments.of(catalog.driftScores(), DriftScore.class),
                Arguments.of(catalog.deploymentEvents(), DeploymentEvent.class),
                Arguments.of(catalog.incidentCommands(), IncidentCommand.class),
                Arguments.of(catalog.incidents(), Incident.class),
                Arguments.of(catalog.incidentEvents(), IncidentEvent.class),
                Arguments.of(catalog.actionCommands(), ActionCommand.class),
                Arguments.of(catalog.actionResults(), ActionResult.class));
    }

    @ParameterizedTest
    @MethodSource("recordTopics")
    <V extends SpecificRecord> void producesAndConsumesEveryRecordType(Topic<String, V> topic, Class<V> type)
            throws Exception {
        List<V> sent = RandomRecords.of(type, RECORDS, 11L);

        Properties producerProps = kafka.clientProperties();
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(producerProps,
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (int i = 0; i < sent.size(); i++) {
                producer.send(new ProducerRecord<>(topic.name(), "key-" + i, sent.get(i))).get();
            }
        }

        assertThat(consumeAll(topic, sent.size())).containsExactlyElementsOf(sent);
    }

    private <V> List<V> consumeAll(Topic<String, V> topic, int expected) {
        Properties props = kafka.clientProperties();
        props.putAll(Map.of(ConsumerConfig.GROUP_ID_CONFIG, kafka.uniqueId(topic.name()),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        List<V> received = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    received.add(record.value());
                }
            }
        }
        return received;
    }
}
