package io.runstream.processor.scenario;

import static org.assertj.core.api.Assertions.assertThat;
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

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.Alert;
import io.runstream.avro.AlertSource;
import io.runstream.avro.AlertStatus;
import io.runstream.common.http.HttpSettings;
import io.runstream.common.kafka.KafkaSettings;
import io.runstream.processor.ApiSettings;
import io.runstream.processor.StreamProcessor;
import io.runstream.processor.StreamProcessorConfig;
import io.runstream.processor.StreamsSettings;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.Topic;
import io.runstream.schemas.TopicCatalog;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;

/**
 * Escalation timers survive a restart of the stream processor: a step due while it was down fires once after
 * it is back, and a step that fired before the restart does not fire again (read_committed, by command id); also
 * when the processor that stopped ran {@code streams.topology: single} and the one that comes back runs split.
 */
@WithKafka
class EscalationRestartIT {

    private StreamProcessor processor;

    @AfterEach
    void stop() {
        if (processor != null) {
            processor.close();
        }
    }

    @Test
    void aStepDueDuringTheOutageFiresOnceAfterRestartAndNoneFiresTwice(TestKafka kafka, @TempDir Path dir)
            throws IOException {
        restartAcrossTheOutage(kafka, dir, StreamsSettings.SPLIT, StreamsSettings.SPLIT);
    }

    /**
     * The upgrade to split (docs/architecture.md, "Two applications by volume"): the incident stages keep the
     * application id, so the timers a single application stored are the split one's.
     */
    @Test
    void timersOfTheSingleApplicationFireOnceAfterTheRestartSplit(TestKafka kafka, @TempDir Path dir)
            throws IOException {
        restartAcrossTheOutage(kafka, dir, StreamsSettings.SINGLE, StreamsSettings.SPLIT);
    }

    private void restartAcrossTheOutage(TestKafka kafka, Path dir, String topologyBefore, String topologyAfter)
            throws IOException {
        // given: a P1 chain of on-call at once, tech lead after 8 s, VP after 16 s
        Path runbooks = Files.writeString(dir.resolve("runbooks.yaml"), """
                escalation:
                  severities:
                    P1:
                      steps:
                        - {name: page-on-call, after: 0s, action: PAGE, channel: pagerduty/on-call}
                        - {name: page-tech-lead, after: 8s, action: PAGE, channel: pagerduty/tech-lead}
                        - {name: page-vp-engineering, after: 16s, action: PAGE, channel: pagerduty/vp-engineering}
                      statusUpdates: {every: 0s, channel: slack/none}
                runbooks: []
                """);
        KafkaSettings settings = new KafkaSettings(kafka.bootstrapServers(), kafka.uniqueId("restart") + ".", 3,
                (short) 1, Map.of());
        TopicCatalog topics = new TopicCatalog(settings.topicSettings(), RunstreamSerdes.avro());
        StreamsSettings streams = new StreamsSettings(kafka.uniqueId("processor"), dir.resolve("state").toString(),
                "exactly_once_v2", Duration.ofMillis(100), 0, "");
        processor = started(config(settings, streams.withTopology(topologyBefore), runbooks));
        produceP1Alert(settings, topics.alerts());
        await().atMost(Duration.ofSeconds(60)).until(() -> pages(settings, topics.actionCommands())
                .contains("page-on-call"));
        Instant techLeadDue = Instant.now().plusSeconds(8);

        // when: the processor stops before the tech lead is due, and comes back after it was
        processor.close();
        processor = null;
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(techLeadDue));
        processor = started(config(settings, streams.withTopology(topologyAfter), runbooks));

        // then: the tech lead and the VP are paged once each, the on-call not again, and nothing more follows
        await().atMost(Duration.ofSeconds(90)).until(() -> pages(settings, topics.actionCommands()).size() >= 3);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> pages(settings,
                topics.actionCommands()).size() == 3);
        assertThat(pages(settings, topics.actionCommands()))
                .containsExactlyInAnyOrder("page-on-call", "page-tech-lead", "page-vp-engineering");
    }

    private static StreamProcessorConfig config(KafkaSettings settings, StreamsSettings streams, Path runbooks) {
        return new StreamProcessorConfig(settings, new HttpSettings("127.0.0.1", 0, null), streams,
                ApiSettings.readOnly(), "", runbooks.toString());
    }

    private static StreamProcessor started(StreamProcessorConfig config) {
        StreamProcessor started = new StreamProcessor(config);
        started.start();
        await().atMost(Duration.ofSeconds(60)).until(started::running);
        return started;
    }

    private static void produceP1Alert(KafkaSettings settings, Topic<String, Alert> topic) {
        Instant now = Instant.now();
        Alert alert = Alert.newBuilder().setFingerprint("fp-p1").setStatus(AlertStatus.FIRING)
                .setLabels(Map.of("alertname", "HighErrorRate", "severity", "critical", "service",
                        "inference-gateway", "namespace", "ml-prod"))
                .setAnnotations(Map.of("kind", "error_ratio", "value", "0.12")).setStartsAt(now)
                .setSource(AlertSource.ALERTMANAGER).setReceivedAt(now).build();
        try (KafkaProducer<String, Alert> producer = new KafkaProducer<>(settings.clientProperties(),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), null, now.toEpochMilli(), alert.getFingerprint(), alert));
            producer.flush();
        }
    }

    /** The escalation steps paged so far, one entry per committed command (duplicates would repeat). */
    private static List<String> pages(KafkaSettings settings, Topic<String, ActionCommand> topic) {
        Properties props = settings.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> steps = new ArrayList<>();
        try (KafkaConsumer<String, ActionCommand> consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 5000;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    String id = record.value().getCommandId();
                    if (id.contains("/escalation/")) {
                        steps.add(id.substring(id.lastIndexOf('/') + 1));
                    }
                });
            }
        }
        return steps;
    }
}
