package io.runstream.processor.correlation;

import static io.runstream.processor.TopologyFixture.firing;
import static io.runstream.processor.TopologyFixture.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.Alert;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentState;
import io.runstream.processor.TopologyFixture;
import io.runstream.processor.api.IncidentViews;

/** Resolved incidents age out after {@code correlation.retention} (default 30 days), from every store and topic. */
class IncidentRetentionTopologyTest {

    private static final Alert ERRORS = firing("f-errors", "HighErrorRate", "critical", "inference-gateway",
            Map.of("summary", "5xx above 5 %", "kind", "error_ratio", "value", "0.06"));
    /** Starts the scale-on-saturation runbook, so the incident has runbook progress. */
    private static final Alert LATENCY = firing("f-latency", "HighLatency", "warning", "inference-gateway",
            Map.of("kind", "latency_quantile", "value", "1.4"));
    private static final String KEY = "ml-prod/inference-gateway";
    private static final Duration RETENTION = CorrelationPolicy.DEFAULT_RETENTION;

    private final TopologyFixture pipeline = new TopologyFixture();

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void deletesAResolvedIncidentPastRetentionWithTombstonesAndFromEveryStore() {
        pipeline.send(ERRORS, Duration.ZERO);
        pipeline.send(LATENCY, Duration.ZERO);
        pipeline.send(resolved(ERRORS), Duration.ofMinutes(5));
        pipeline.send(resolved(LATENCY), Duration.ofMinutes(5));
        pipeline.send(firing("f-features", "HighErrorRate", "critical", "feature-store", Map.of()), Duration.ZERO);
        String id = lastIncident().getId();
        String stillOpen = this.<Incident>store(CorrelationStage.STORE).get("ml-prod/feature-store").getId();
        assertThat(lastIncident().getState()).isEqualTo(IncidentState.RESOLVED);
        assertThat(store(CorrelationStage.STORE).get(KEY)).isNotNull();
        assertThat(store(CorrelationStage.RUNBOOK_PROGRESS_STORE).get(KEY)).isNotNull();
        assertThat(store(CorrelationStage.RECORD_STORE).get(KEY)).isNotNull();
        assertThat(store(IncidentViews.INCIDENTS_STORE).get(id)).isNotNull();
        assertThat(timeline(id)).isNotEmpty();
        pipeline.incidents.readRecordsToList();
        pipeline.incidentEvents.readRecordsToList();

        pipeline.driver.advanceWallClockTime(RETENTION.minusMinutes(1));
        assertThat(of(id, pipeline.incidents.readRecordsToList())).isEmpty();
        assertThat(store(IncidentViews.INCIDENTS_STORE).get(id)).isNotNull();

        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(2));

        assertThat(of(id, pipeline.incidents.readRecordsToList())).extracting(TestRecord::value)
                .containsExactly((Incident) null);
        assertThat(of(id, pipeline.incidentEvents.readRecordsToList())).extracting(TestRecord::value)
                .containsExactly((IncidentEvent) null);
        assertThat(store(CorrelationStage.STORE).get(KEY)).isNull();
        assertThat(store(CorrelationStage.RUNBOOK_PROGRESS_STORE).get(KEY)).isNull();
        assertThat(store(CorrelationStage.RECORD_STORE).get(KEY)).isNull();
        assertThat(store(IncidentViews.INCIDENTS_STORE).get(id)).isNull();
        assertThat(timeline(id)).isEmpty();
        assertThat(store(IncidentViews.INCIDENTS_STORE).get(stillOpen)).isNotNull();
        assertThat(timeline(stillOpen)).isNotEmpty();
        assertThat(pipeline.registry.counter("runstream_incidents", "transition", "deleted").count()).isEqualTo(1.0);
    }

    @Test
    void keepsAnIncidentReopenedInsideTheReopenWindow() {
        pipeline.send(ERRORS, Duration.ZERO);
        pipeline.send(resolved(ERRORS), Duration.ofMinutes(5));
        pipeline.send(ERRORS, Duration.ofMinutes(15));
        Incident reopened = lastIncident();
        assertThat(reopened.getState()).isEqualTo(IncidentState.OPEN);
        assertThat(reopened.getReopenCount()).isEqualTo(1);

        pipeline.driver.advanceWallClockTime(RETENTION.plusDays(1));

        assertThat(pipeline.incidents.readRecordsToList()).allMatch(record -> record.value() != null);
        assertThat(pipeline.incidentEvents.readRecordsToList()).allMatch(record -> record.value() != null);
        assertThat(store(CorrelationStage.STORE).get(KEY)).isNotNull();
        assertThat(store(IncidentViews.INCIDENTS_STORE).get(reopened.getId())).isNotNull();
        assertThat(timeline(reopened.getId())).isNotEmpty();
    }

    @Test
    void countsRetentionFromTheLastResolutionNotTheFirst() {
        pipeline.send(ERRORS, Duration.ZERO);
        pipeline.send(resolved(ERRORS), Duration.ofMinutes(5));
        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(10));
        pipeline.send(ERRORS, Duration.ofMinutes(15));
        pipeline.send(resolved(ERRORS), Duration.ofMinutes(20));
        String id = lastIncident().getId();
        pipeline.incidents.readRecordsToList();

        // the first resolution's timer comes due: the incident resolved again since, so it stays
        pipeline.driver.advanceWallClockTime(RETENTION.minusMinutes(5));
        assertThat(pipeline.incidents.readRecordsToList()).isEmpty();
        assertThat(store(IncidentViews.INCIDENTS_STORE).get(id)).isNotNull();

        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(10));
        assertThat(pipeline.incidents.readRecordsToList()).extracting(TestRecord::value).containsExactly((Incident) null);
        assertThat(store(IncidentViews.INCIDENTS_STORE).get(id)).isNull();
    }

    @Test
    void opensANewIncidentWhenTheKeyFiresAfterTheOldOneWasDeleted() {
        pipeline.send(ERRORS, Duration.ZERO);
        pipeline.send(resolved(ERRORS), Duration.ofMinutes(5));
        String deleted = lastIncident().getId();
        pipeline.driver.advanceWallClockTime(RETENTION.plusMinutes(1));

        pipeline.send(ERRORS, RETENTION.plusMinutes(2));

        Incident opened = lastIncident();
        assertThat(opened.getId()).isNotEqualTo(deleted);
        assertThat(opened.getState()).isEqualTo(IncidentState.OPEN);
        assertThat(opened.getReopenCount()).isZero();
    }

    private Incident lastIncident() {
        Incident incident = this.<Incident>store(CorrelationStage.STORE).get(KEY);
        assertThat(incident).isNotNull();
        return incident;
    }

    private static <V> List<TestRecord<String, V>> of(String incidentId, List<TestRecord<String, V>> records) {
        return records.stream().filter(record -> incidentId.equals(record.key())).toList();
    }

    private <V> KeyValueStore<String, V> store(String name) {
        return pipeline.driver.getKeyValueStore(name);
    }

    private List<String> timeline(String incidentId) {
        List<String> keys = new ArrayList<>();
        KeyValueStore<String, IncidentEvent> store = store(IncidentViews.TIMELINE_STORE);
        try (KeyValueIterator<String, IncidentEvent> entries = store.prefixScan(incidentId + "|",
                new StringSerializer())) {
            entries.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }
}
