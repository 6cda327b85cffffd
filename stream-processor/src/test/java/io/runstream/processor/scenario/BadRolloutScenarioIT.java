package io.runstream.processor.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runstream.avro.MetricKind;
import io.runstream.avro.MetricSample;
import io.runstream.common.http.HttpSettings;
import io.runstream.common.kafka.KafkaSettings;
import io.runstream.processor.RunstreamTopology;
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
 * Runbook 003's story from raw metrics on the real broker: a healthy inference gateway, then 12 % of its
 * requests failing with 5xx for six minutes of event time, then recovery. Detection raises HighErrorRate,
 * correlation makes one incident of it, severity ranks it P1 (above 10 % errors, runbook 001), and it resolves
 * with its alerts; the incident API shows all of it. A healthy neighbour gets no incident. Run with detection and
 * the incident stages as two Kafka Streams applications joined by the alerts topic ({@code streams.topology:
 * split}) and as one ({@code single}).
 */
@WithKafka
class BadRolloutScenarioIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STEP = Duration.ofSeconds(15);
    private static final double REQUESTS_PER_STEP = 1500;

    private KafkaSettings kafkaSettings;
    private StreamProcessor processor;
    private ProcessorHttp http;
    private String applicationId;

    /**
     * A processor with the built-in rules, its detection and incident stages as two applications (split) or one
     * (single): the story is the same either way.
     */
    private void givenAStreamProcessorWithTheBuiltInRules(TestKafka kafka, String topology) {
        kafkaSettings = new KafkaSettings(kafka.bootstrapServers(), kafka.uniqueId("story") + ".", 3, (short) 1,
                Map.of());
        applicationId = kafka.uniqueId("processor");
        processor = new StreamProcessor(new StreamProcessorConfig(kafkaSettings, new HttpSettings("127.0.0.1", 0, null),
                new StreamsSettings(applicationId, "", "exactly_once_v2", Duration.ofMillis(100), 0, "")
                        .withTopology(topology)));
        processor.start();
        http = new ProcessorHttp(processor);
        await().atMost(Duration.ofSeconds(60)).until(() -> http.status("/health/ready") == 200);
    }

    @AfterEach
    void stop() {
        if (processor != null) {
            processor.close();
        }
    }

    @ParameterizedTest(name = "streams.topology: {0}")
    @ValueSource(strings = {StreamsSettings.SPLIT, StreamsSettings.SINGLE})
    void twelvePercentFiveHundredsForSixMinutesMakeOneP1IncidentThatResolves(String topology, TestKafka kafka)
            throws Exception {
        givenAStreamProcessorWithTheBuiltInRules(kafka, topology);
        // given: 10 healthy minutes, 6 minutes at 12 % 5xx, 10 minutes of recovery, every 15 s of event time
        Instant start = Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        List<MetricSample> samples = new ArrayList<>();
        double ok = 0;
        double failed = 0;
        double neighbourOk = 0;
        for (int step = 0; step <= 26 * 4; step++) {
            Instant at = start.plus(STEP.multipliedBy(step));
            boolean outage = step > 40 && step <= 64;
            double errorShare = outage ? 0.12 : 0.001;
            ok += REQUESTS_PER_STEP * (1 - errorShare);
            failed += REQUESTS_PER_STEP * errorShare;
            neighbourOk += REQUESTS_PER_STEP;
            samples.add(requests("inference-gateway", "200", ok, at));
            samples.add(requests("inference-gateway", "500", failed, at));
            samples.add(requests("feature-store", "200", neighbourOk, at));
        }

        // when
        produce(samples);

        // then: one incident for the gateway, P1, resolved by its alerts
        JsonNode incident = await().atMost(Duration.ofSeconds(90)).until(
                () -> onlyIncidentOf("inference-gateway"), found -> IncidentJson.reached(found, "RESOLVED"));
        assertThat(incident.path("severity").asText()).isEqualTo("P1");
        assertThat(incident.path("namespace").asText()).isEqualTo("ml-prod");
        assertThat(incident.path("resolvedBy").asText()).isEqualTo("alerts");
        // the peak is what the outage measured; the current rate may already show the recovery's first band
        // crossing (0.098 once under load): service impact and the alerts' resolution are two inputs, in any order
        assertThat(incident.path("peakErrorRate").asDouble()).isGreaterThan(0.10);
        assertThat(incident.path("errorRate").asDouble()).isPositive();
        assertThat(incident.path("alerts").findValuesAsText("alertname")).containsOnly("HighErrorRate");
        assertThat(incident.path("alerts").findValuesAsText("severity")).contains("critical", "warning");
        assertThat(incident.path("alerts").findValuesAsText("status")).containsOnly("RESOLVED");
        assertThat(incident.path("timeline").findValuesAsText("type"))
                .contains("OPENED", "ALERT_ATTACHED", "ALERT_RESOLVED", "RESOLVED");
        Instant opened = Instant.parse(incident.path("openedAt").asText());
        assertThat(opened).isBetween(start.plus(STEP.multipliedBy(41)), start.plus(STEP.multipliedBy(64)));

        assertThat(incidentsOf("feature-store")).isEmpty();
        JsonNode health = JSON.readTree(http.get("/api/v1/services/inference-gateway/health").body());
        assertThat(health.path("errorRate").asDouble()).isLessThan(0.01);
        assertThat(http.get("/api/v1/services/no-such-service/health").statusCode()).isEqualTo(404);

        // and: split, the samples were read by detection's own application, the alerts by the incident stages'
        try (Admin admin = Admin.create(kafkaSettings.clientProperties())) {
            Set<String> incidentsInputs = committedTopics(admin, applicationId);
            assertThat(incidentsInputs).contains(kafkaSettings.topicPrefix() + "alerts",
                    kafkaSettings.topicPrefix() + "service-impact");
            // and: the dedup window's changelog keeps an hour past the store's 10 minutes, not Kafka's extra day
            ConfigResource dedupChangelog = new ConfigResource(ConfigResource.Type.TOPIC,
                    applicationId + "-dedup-store-changelog");
            assertThat(admin.describeConfigs(List.of(dedupChangelog)).all().get().get(dedupChangelog)
                    .get("retention.ms").value()).isEqualTo(Long.toString(Duration.ofMinutes(10)
                            .plus(RunstreamTopology.WINDOW_CHANGELOG_ADDITIONAL_RETENTION).toMillis()));
            if (StreamsSettings.SPLIT.equals(topology)) {
                assertThat(processor.detectionStreams()).isNotSameAs(processor.streams());
                assertThat(incidentsInputs).doesNotContain(kafkaSettings.topicPrefix() + "metric-samples");
                assertThat(committedTopics(admin, applicationId + "-detection"))
                        .contains(kafkaSettings.topicPrefix() + "metric-samples")
                        .doesNotContain(kafkaSettings.topicPrefix() + "alerts");
            } else {
                assertThat(incidentsInputs).contains(kafkaSettings.topicPrefix() + "metric-samples");
            }
        }
    }

    private static Set<String> committedTopics(Admin admin, String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().keySet().stream()
                .map(TopicPartition::topic).collect(Collectors.toSet());
    }

    private static MetricSample requests(String service, String status, double value, Instant at) {
        return MetricSample.newBuilder()
                .setName("http_requests_total")
                .setService(service)
                .setLabels(Map.of("status", status, "namespace", "ml-prod", "job", service))
                .setKind(MetricKind.COUNTER)
                .setValue(value)
                .setTimestamp(at)
                .build();
    }

    private void produce(List<MetricSample> samples) {
        Topic<String, MetricSample> topic = new TopicCatalog(kafkaSettings.topicSettings(), RunstreamSerdes.avro())
                .metricSamples();
        try (KafkaProducer<String, MetricSample> producer = new KafkaProducer<>(kafkaSettings.clientProperties(),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (MetricSample sample : samples) {
                producer.send(new ProducerRecord<>(topic.name(), null, sample.getTimestamp().toEpochMilli(),
                        sample.getService(), sample));
            }
            producer.flush();
        }
    }

    private JsonNode onlyIncidentOf(String service) throws IOException, InterruptedException {
        List<JsonNode> incidents = incidentsOf(service);
        assertThat(incidents).hasSizeLessThanOrEqualTo(1);
        if (incidents.isEmpty()) {
            return null;
        }
        return JSON.readTree(http.get("/api/v1/incidents/" + incidents.get(0).path("id").asText()).body());
    }

    private List<JsonNode> incidentsOf(String service) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.get("/api/v1/incidents?service=" + service);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        JSON.readTree(answer.body()).path("items").forEach(items::add);
        return items;
    }


}
