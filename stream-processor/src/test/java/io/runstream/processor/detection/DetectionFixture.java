package io.runstream.processor.detection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

import io.runstream.avro.Alert;
import io.runstream.avro.DriftScore;
import io.runstream.avro.MetricKind;
import io.runstream.avro.MetricSample;
import io.runstream.avro.ServiceHealth;
import io.runstream.processor.StateStores;
import io.runstream.processor.rules.RulesFile;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;

/** Detection alone in a TopologyTestDriver, with helpers that speak the runbooks' metrics. */
final class DetectionFixture implements AutoCloseable {

    /** An evaluation step boundary (15 s aligned), so the arithmetic in tests stays readable. */
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    static final String SERVICE = "inference-gateway";
    static final String NAMESPACE = "ml-serving";

    final DetectionMetrics metrics = DetectionMetrics.inMemory();
    final TopologyTestDriver driver;
    final Topology topology;
    private final TestInputTopic<String, MetricSample> samples;
    private final TestInputTopic<String, DriftScore> drift;
    private final TestOutputTopic<String, Alert> alerts;
    private Instant wallClock = T0;

    DetectionFixture(RulesFile rules) {
        TopicCatalog topics = new TopicCatalog(TopicSettings.DEFAULTS, RunstreamSerdes.avro());
        StreamsBuilder builder = new StreamsBuilder();
        DetectionStage.addTo(builder, StateStores.persistent(), topics, rules, metrics);
        topology = builder.build();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "detection-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir().toString());
        driver = new TopologyTestDriver(topology, props, T0);
        samples = driver.createInputTopic(topics.metricSamples().name(), topics.metricSamples().keySerde().serializer(),
                topics.metricSamples().valueSerde().serializer());
        drift = driver.createInputTopic(topics.driftScores().name(), topics.driftScores().keySerde().serializer(),
                topics.driftScores().valueSerde().serializer());
        alerts = driver.createOutputTopic(topics.alerts().name(), topics.alerts().keySerde().deserializer(),
                topics.alerts().valueSerde().deserializer());
    }

    private static Path stateDir() {
        try {
            return Files.createTempDirectory("detection-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Instant at(Duration sinceT0) {
        return T0.plus(sinceT0);
    }

    static Instant at(long secondsSinceT0) {
        return T0.plusSeconds(secondsSinceT0);
    }

    void sample(String metric, MetricKind kind, Map<String, String> labels, double value, Instant time) {
        sample(SERVICE, metric, kind, labels, value, time);
    }

    void sample(String service, String metric, MetricKind kind, Map<String, String> labels, double value,
            Instant time) {
        // Samples arrive as they are scraped: the wall clock keeps up with the newest one.
        if (time.isAfter(wallClock)) {
            driver.advanceWallClockTime(Duration.between(wallClock, time));
            wallClock = time;
        }
        sampleStampedAhead(service, metric, kind, labels, value, time);
    }

    /** A sample that does not move the wall clock, as one stamped by a clock running ahead. */
    void sampleStampedAhead(String service, String metric, MetricKind kind, Map<String, String> labels,
            double value, Instant time) {
        Map<String, String> all = new HashMap<>(labels);
        all.put("namespace", NAMESPACE);
        all.put("service", service);
        samples.pipeInput(service, MetricSample.newBuilder().setName(metric).setService(service).setLabels(all)
                .setKind(kind).setValue(value).setTimestamp(time).build(), time);
    }

    void counter(String metric, Map<String, String> labels, double value, Instant time) {
        sample(metric, MetricKind.COUNTER, labels, value, time);
    }

    void gauge(String metric, Map<String, String> labels, double value, Instant time) {
        sample(metric, MetricKind.GAUGE, labels, value, time);
    }

    /** http_requests_total of one scrape: the 200 and the 500 series' cumulative counts. */
    void requests(Instant time, double ok, double failed) {
        requests(SERVICE, time, ok, failed);
    }

    void requests(String service, Instant time, double ok, double failed) {
        sample(service, "http_requests_total", MetricKind.COUNTER, Map.of("status", "200"), ok, time);
        sample(service, "http_requests_total", MetricKind.COUNTER, Map.of("status", "500"), failed, time);
    }

    void driftReport(String model, double driftShare, Double accuracy, Double referenceAccuracy, Instant time) {
        driftReport(model, "v7", driftShare, accuracy, referenceAccuracy, time);
    }

    void driftReport(String model, String version, double driftShare, Double accuracy, Double referenceAccuracy,
            Instant time) {
        drift.pipeInput(model, DriftScore.newBuilder().setModel(model).setModelVersion(version).setService(SERVICE)
                .setNamespace(NAMESPACE).setDatasetDrift(driftShare > 0.3).setDriftShare(driftShare)
                .setFeatureScores(Map.of("age", driftShare)).setAccuracy(accuracy)
                .setReferenceAccuracy(referenceAccuracy).setTimestamp(time).build(), time);
    }

    void advanceWallClock(Duration duration) {
        driver.advanceWallClockTime(duration);
        wallClock = wallClock.plus(duration);
    }

    /** Alerts emitted since the last call. */
    List<Alert> alerts() {
        return alerts.readValuesToList();
    }

    List<org.apache.kafka.streams.test.TestRecord<String, Alert>> alertRecords() {
        return alerts.readRecordsToList();
    }

    ServiceHealth health(String service) {
        KeyValueStore<String, ServiceHealth> store = driver.getKeyValueStore(DetectionStage.SERVICE_HEALTH_STORE);
        return store.get(service);
    }

    /** The service's latest {@code limit} health measurements, oldest first, as the series API reads them. */
    List<ServiceHealth> history(String service, int limit) {
        KeyValueStore<String, ServiceHealth> store = driver.getKeyValueStore(DetectionStage.HEALTH_HISTORY_STORE);
        return HealthHistory.latest(store, service, limit);
    }

    @Override
    public void close() {
        driver.close();
    }
}
