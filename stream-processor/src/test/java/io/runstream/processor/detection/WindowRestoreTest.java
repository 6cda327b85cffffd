package io.runstream.processor.detection;

import static io.runstream.processor.detection.DetectionFixture.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import org.apache.avro.specific.SpecificRecord;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertStatus;
import io.runstream.avro.MetricKind;
import io.runstream.avro.MetricSample;
import io.runstream.avro.ServiceHealth;
import io.runstream.processor.rules.RulesFile;
import io.runstream.schemas.RunstreamSerdes;

/**
 * After a crash or rebalance a new processor instance starts from the stores alone (restored from their
 * changelogs): it must carry on exactly where the old one stopped.
 */
class WindowRestoreTest {

    private static final String SERVICE = "inference-gateway";

    @Test
    void aNewProcessorRebuildsTheWindowFromTheStoresAndCarriesOnIdentically() {
        Instance uninterrupted = new Instance();
        Processing straight = uninterrupted.start();
        Instance restarted = new Instance();
        Processing before = restarted.start();

        for (long second = 0; second <= 360; second += 15) {
            straight.scrape(second);
            if (second == 120) {
                // A handover after the old instance wrote its samples (closed, or flushed at a commit interval).
                before.processor().close();
                before = restarted.start();
            }
            before.scrape(second);
        }

        assertThat(before.alerts()).isNotEmpty();
        assertThat(restarted.forwardedSoFar()).isEqualTo(uninterrupted.forwardedSoFar());
        assertThat(restarted.health.get(SERVICE)).isEqualTo(uninterrupted.health.get(SERVICE));
    }

    @Test
    void aServiceThatFallsSilentAcrossAHandoverStillRaisesServiceSilent() {
        // Given a service whose scrapes (up = 1) stop at 120 s, with nothing pending or firing, and a new
        // processor that takes the task over afterwards.
        Instance instance = new Instance();
        Processing before = instance.start();
        for (long second = 0; second <= 120; second += 15) {
            before.up(second);
        }
        before.processor().close();
        Processing after = instance.start();

        // When the new owner's wall clock passes 6 minutes of the service's silence (counted from the takeover).
        long takeover = DetectionFixture.T0.toEpochMilli();
        after.punctuateSilence(takeover);
        after.punctuateSilence(takeover + Duration.ofMinutes(6).toMillis());

        // Then the silence is reported (absent_over_time(up[5m]) from 420 s), though no alert was active to
        // make the new owner look at the service.
        assertThat(after.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.getLabels()).containsEntry("alertname", "ServiceSilent");
            assertThat(alert.getStatus()).isEqualTo(AlertStatus.FIRING);
            assertThat(alert.getStartsAt()).isEqualTo(at(420));
        });
    }

    /** One task's stores, shared by the processor instances that successively own it. */
    private static final class Instance {
        private final MockProcessorContext<String, SpecificRecord> context = new MockProcessorContext<>(properties());
        private final KeyValueStore<String, ServiceHealth> health;

        Instance() {
            addStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DetectionStage.SAMPLES_STORE),
                    Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build());
            addStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DetectionStage.RULE_STATE_STORE),
                    Serdes.String(), EvaluationStateSerde.serde()).withLoggingDisabled().build());
            health = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DetectionStage.SERVICE_HEALTH_STORE),
                    Serdes.String(), RunstreamSerdes.avro().serde(ServiceHealth.class)).withLoggingDisabled().build();
            addStore(health);
            addStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DetectionStage.HEALTH_HISTORY_STORE),
                    Serdes.String(), RunstreamSerdes.avro().serde(ServiceHealth.class)).withLoggingDisabled().build());
        }

        Processing start() {
            MetricDetectionProcessor processor = new MetricDetectionProcessor(
                    RulesFile.defaults().metricRules().stream().map(CompiledRule::of).toList(),
                    RulesFile.defaults().evaluation(), RulesFile.defaults().severity(), DetectionMetrics.inMemory());
            processor.init(context);
            return new Processing(processor, context);
        }

        /** The alerts and impact changes forwarded so far. */
        List<SpecificRecord> forwardedSoFar() {
            return context.forwarded().stream().<SpecificRecord>map(forward -> forward.record().value()).toList();
        }

        private void addStore(KeyValueStore<?, ?> store) {
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        }

        private static Properties properties() {
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "restore-test");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            return props;
        }
    }

    private record Processing(MetricDetectionProcessor processor, MockProcessorContext<String, SpecificRecord> context) {

        void scrape(long second) {
            request("200", 100_000 + 88 * second, at(second));
            request("500", 5_000 + 12 * second, at(second));
        }

        void up(long second) {
            Instant time = at(second);
            MetricSample sample = MetricSample.newBuilder().setName("up").setService(SERVICE)
                    .setLabels(Map.of("job", SERVICE, "instance", "10.0.0.7:8080", "namespace", "ml-serving"))
                    .setKind(MetricKind.GAUGE).setValue(1).setTimestamp(time).build();
            context.setCurrentStreamTimeMs(time.toEpochMilli());
            context.setCurrentSystemTimeMs(DetectionFixture.T0.toEpochMilli());
            processor.process(new Record<>(SERVICE, sample, time.toEpochMilli()));
        }

        /** Runs the wall-clock punctuator that evaluates silent services, at {@code now}. */
        void punctuateSilence(long now) {
            context.setCurrentSystemTimeMs(now);
            // The context is the task's, shared with the previous owner: its latest schedule is this processor's.
            List<MockProcessorContext.CapturedPunctuator> silence = context.scheduledPunctuators().stream()
                    .filter(punctuator -> punctuator.getInterval().equals(Duration.ofSeconds(15))).toList();
            silence.get(silence.size() - 1).getPunctuator().punctuate(now);
        }

        List<Alert> alerts() {
            return context.forwarded().stream().map(forward -> forward.record().value())
                    .filter(Alert.class::isInstance).map(Alert.class::cast).toList();
        }

        private void request(String status, double value, Instant time) {
            MetricSample sample = MetricSample.newBuilder().setName("http_requests_total").setService(SERVICE)
                    // A label value with the characters the in-memory series key uses as separators.
                    .setLabels(Map.of("status", status, "namespace", "ml-serving", "route", "/v1/\u0001x\u0002y"))
                    .setKind(MetricKind.COUNTER)
                    .setValue(value).setTimestamp(time).build();
            // As a stream task does: the stream time is the newest record time seen; the wall clock stands still.
            context.setCurrentStreamTimeMs(time.toEpochMilli());
            context.setCurrentSystemTimeMs(DetectionFixture.T0.toEpochMilli());
            processor.process(new Record<>(SERVICE, sample, time.toEpochMilli()));
        }
    }
}
