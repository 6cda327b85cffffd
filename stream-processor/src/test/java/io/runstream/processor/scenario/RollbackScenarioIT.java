package io.runstream.processor.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionType;
import io.runstream.avro.DeploymentEvent;
import io.runstream.avro.MetricKind;
import io.runstream.avro.MetricSample;
import io.runstream.common.http.HttpSettings;
import io.runstream.common.kafka.KafkaSettings;
import io.runstream.processor.ApiSettings;
import io.runstream.processor.StreamProcessor;
import io.runstream.processor.StreamProcessorConfig;
import io.runstream.processor.StreamsSettings;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.Topic;
import io.runstream.schemas.TopicCatalog;
import io.runstream.testing.IncidentJson;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;

/**
 * Runbook 003 end to end inside the topology, on the real broker: a rollout, then 12 % 5xx; the rollback
 * command appears on action-commands; a worker's successful result and recovered metrics follow; the incident
 * resolves by itself after the recovery hold (shortened to 3 s here), with its durations recorded.
 */
@WithKafka
class RollbackScenarioIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STEP = Duration.ofSeconds(15);

    private KafkaSettings kafkaSettings;
    private TopicCatalog topics;
    private StreamProcessor processor;
    private ProcessorHttp http;

    @BeforeEach
    void givenAProcessorWithAShortRecoveryHold(TestKafka kafka, @TempDir Path dir) throws IOException {
        Path runbooks = Files.writeString(dir.resolve("runbooks.yaml"), "recovery: {hold: 3s, deadline: 5m}\n");
        kafkaSettings = new KafkaSettings(kafka.bootstrapServers(), kafka.uniqueId("rollback") + ".", 3, (short) 1,
                Map.of());
        topics = new TopicCatalog(kafkaSettings.topicSettings(), RunstreamSerdes.avro());
        processor = new StreamProcessor(new StreamProcessorConfig(kafkaSettings, new HttpSettings("127.0.0.1", 0, null),
                new StreamsSettings(kafka.uniqueId("processor"), "", "exactly_once_v2", Duration.ofMillis(100), 0, ""),
                ApiSettings.readOnly(), "", runbooks.toString()));
        processor.start();
        http = new ProcessorHttp(processor);
        await().atMost(Duration.ofSeconds(60)).until(() -> http.status("/health/ready") == 200);
    }

    @AfterEach
    void stop() {
        processor.close();
    }

    @Test
    void rollsBackAfterABadRolloutAndResolvesOnceRecoveryHeld() throws Exception {
        // given: the gateway rolled out revision 7 at minute 9, and from minute 10 12 % of its requests fail
        Instant start = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
        produce(topics.deploymentEvents(), "ml-prod/inference-gateway", DeploymentEvent.newBuilder()
                .setNamespace("ml-prod").setDeployment("inference-gateway").setRevision(7).setPreviousRevision(6L)
                .setImages(Map.of("server", "registry/gateway:2.4.0")).setChangeCause("deploy 2.4.0")
                .setRolledOutAt(start.plus(Duration.ofMinutes(9))).build(), start.plus(Duration.ofMinutes(9)));
        Counters counters = new Counters();
        produceSamples(counters.steps(start, 0, 64, step -> step > 40 ? 0.12 : 0.001));

        // then: the rollback command is published, exactly once
        ActionCommand rollback = await().atMost(Duration.ofSeconds(90)).until(this::rollbackCommands,
                commands -> !commands.isEmpty()).get(0);
        assertThat(rollback.getTarget().getNamespace()).isEqualTo("ml-prod");
        assertThat(rollback.getTarget().getName()).isEqualTo("inference-gateway");

        // when: the worker reports success and the service recovers
        produce(topics.actionResults(), rollback.getCorrelationKey(), ActionResult.newBuilder()
                .setCommandId(rollback.getCommandId()).setIncidentId(rollback.getIncidentId())
                .setCorrelationKey(rollback.getCorrelationKey())
                .setType(rollback.getType()).setTarget(rollback.getTarget()).setMode(rollback.getMode())
                .setOutcome(ActionOutcome.SUCCEEDED).setMessage("rolled back to revision 6")
                .setBefore(Map.of("revision", "7")).setAfter(Map.of("revision", "6")).setAttempts(1)
                .setWorker("it").setStartedAt(Instant.now()).setFinishedAt(Instant.now()).build(), Instant.now());
        await().atMost(Duration.ofSeconds(30)).until(() -> "MITIGATED".equals(incident(rollback.getIncidentId())
                .path("state").asText()));
        produceSamples(counters.steps(start, 65, 26 * 4, step -> 0.001));

        // then: resolved by recovery after the hold, with the whole story on the timeline
        JsonNode incident = await().atMost(Duration.ofSeconds(60)).until(() -> incident(rollback.getIncidentId()),
                found -> IncidentJson.reached(found, "RESOLVED"));
        assertThat(incident.path("resolvedBy").asText()).isEqualTo("recovery");
        assertThat(incident.path("severity").asText()).isEqualTo("P1");
        assertThat(incident.path("mitigatedAt").isNull()).isFalse();
        List<String> types = incident.path("timeline").findValuesAsText("type");
        assertThat(types).containsSubsequence("OPENED", "ACTION_ISSUED", "ACTION_RESULT", "MITIGATED", "RESOLVED");
        JsonNode resolved = null;
        for (JsonNode entry : incident.path("timeline")) {
            if ("RESOLVED".equals(entry.path("type").asText())) {
                resolved = entry;
            }
        }
        assertThat(resolved).isNotNull();
        assertThat(resolved.path("details").path("timeToMitigate").asText()).startsWith("PT");
        assertThat(resolved.path("details").path("timeToResolve").asText()).startsWith("PT");
        assertThat(rollbackCommands()).hasSize(1);
    }

    private List<ActionCommand> rollbackCommands() {
        Properties props = kafkaSettings.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + System.nanoTime());
        Topic<String, ActionCommand> topic = topics.actionCommands();
        List<ActionCommand> found = new ArrayList<>();
        try (KafkaConsumer<String, ActionCommand> consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long until = System.currentTimeMillis() + 3000;
            while (System.currentTimeMillis() < until) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                    if (record.value().getType() == ActionType.ROLLOUT_UNDO) {
                        found.add(record.value());
                    }
                });
            }
        }
        return found;
    }

    /** Cumulative request counters of the gateway, 1,500 requests per 15 s step. */
    private static final class Counters {
        private double ok;
        private double failed;

        List<MetricSample> steps(Instant start, int from, int to, java.util.function.IntToDoubleFunction errorShare) {
            List<MetricSample> samples = new ArrayList<>();
            for (int step = from; step <= to; step++) {
                Instant at = start.plus(STEP.multipliedBy(step));
                ok += 1500 * (1 - errorShare.applyAsDouble(step));
                failed += 1500 * errorShare.applyAsDouble(step);
                samples.add(requests("200", ok, at));
                samples.add(requests("500", failed, at));
            }
            return samples;
        }

        private static MetricSample requests(String status, double value, Instant at) {
            return MetricSample.newBuilder().setName("http_requests_total").setService("inference-gateway")
                    .setLabels(Map.of("status", status, "namespace", "ml-prod")).setKind(MetricKind.COUNTER)
                    .setValue(value).setTimestamp(at).build();
        }
    }

    private void produceSamples(List<MetricSample> samples) {
        for (MetricSample sample : samples) {
            produce(topics.metricSamples(), sample.getService(), sample, sample.getTimestamp());
        }
    }

    private <V> void produce(Topic<String, V> topic, String key, V value, Instant timestamp) {
        Serializer<V> serializer = topic.valueSerde().serializer();
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(kafkaSettings.clientProperties(),
                topic.keySerde().serializer(), serializer)) {
            producer.send(new ProducerRecord<>(topic.name(), null, timestamp.toEpochMilli(), key, value));
            producer.flush();
        }
    }

    private JsonNode incident(String id) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.get("/api/v1/incidents/" + id);
        return answer.statusCode() == 200 ? JSON.readTree(answer.body()) : JSON.createObjectNode();
    }


}
