package io.runstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;

@WithKafka
class TopicProvisionerIT {

    @Test
    void createsMissingTopicsOnceAndAcceptsThemOnTheNextStart(TestKafka kafka) {
        TopicCatalog catalog = new TopicCatalog(new TopicSettings(kafka.topicPrefix(), 2, (short) 1),
                RunstreamSerdes.avro());
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, Duration.ofSeconds(30));

            List<String> firstStart = provisioner.ensure(catalog.specs());
            List<String> secondStart = provisioner.ensure(catalog.specs());

            assertThat(firstStart).containsExactlyInAnyOrderElementsOf(catalog.all().stream().map(Topic::name).toList());
            assertThat(secondStart).isEmpty();
        }
    }

    @Test
    void refusesToStartOnAnIncidentsTopicThatIsNotCompacted(TestKafka kafka) throws Exception {
        TopicCatalog catalog = new TopicCatalog(new TopicSettings(kafka.topicPrefix(), 1, (short) 1),
                RunstreamSerdes.avro());
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(catalog.incidents().name(), 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "delete")))).all().get();

            assertThatThrownBy(() -> new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(catalog.specs()))
                    .isInstanceOf(TopicMisconfiguredException.class)
                    .hasMessageContaining("topic " + catalog.incidents().name()
                            + " has cleanup.policy=delete but needs compact");
        }
    }

    @Test
    void anIdempotentProducerWritingTheMomentTopicsAreCreatedHasEveryRecordAcknowledged(TestKafka kafka)
            throws Exception {
        // given: fresh topics of several partitions, and a producer with five batches in flight per partition
        TopicCatalog catalog = new TopicCatalog(new TopicSettings(kafka.topicPrefix(), 6, (short) 1),
                RunstreamSerdes.avro());
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "512");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        AtomicInteger acknowledged = new AtomicInteger();
        List<Exception> failures = new CopyOnWriteArrayList<>();
        try (Admin admin = Admin.create(kafka.clientProperties());
                KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                        new StringSerializer())) {
            // when: it writes as soon as the provisioner returns
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(catalog.specs());
            for (int i = 0; i < 20_000; i++) {
                producer.send(new ProducerRecord<>(catalog.metricSamples().name(), "service-" + (i % 50),
                        "x".repeat(100)), (metadata, error) -> {
                            if (error == null) {
                                acknowledged.incrementAndGet();
                            } else {
                                failures.add(error);
                            }
                        });
            }
            producer.flush();
        }
        // then: every record is acknowledged, none stuck out of sequence until its delivery timeout
        assertThat(failures).isEmpty();
        assertThat(acknowledged).hasValue(20_000);
    }
}
