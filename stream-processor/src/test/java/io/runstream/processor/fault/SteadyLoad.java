package io.runstream.processor.fault;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.ProducerConfig;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertSource;
import io.runstream.avro.AlertStatus;
import io.runstream.avro.MetricKind;
import io.runstream.avro.MetricSample;
import io.runstream.schemas.PartitionKeys;
import io.runstream.schemas.Topic;
import io.runstream.testing.load.KafkaLoad;

/**
 * A steady stream into the processor, sent every {@code period}: healthy request counters of
 * {@code sampleServices} services (they keep detection busy without raising anything), and one firing
 * HighLatency alert of a service of its own per tick, each of which must become one incident with its runbook
 * and escalation commands. Only records the broker acknowledged count as sent.
 */
final class SteadyLoad implements AutoCloseable {

    private final KafkaLoad load;
    private final Topic<String, MetricSample> samples;
    private final Topic<String, Alert> alerts;
    private final int sampleServices;
    private final Set<String> acknowledgedAlertServices = ConcurrentHashMap.newKeySet();
    private final AtomicLong acknowledgedSamples = new AtomicLong();

    SteadyLoad(Properties clientProperties, Topic<String, MetricSample> samples, Topic<String, Alert> alerts,
            int sampleServices) {
        this.load = new KafkaLoad(clientProperties, Map.of(ProducerConfig.LINGER_MS_CONFIG, "5"));
        this.samples = samples;
        this.alerts = alerts;
        this.sampleServices = sampleServices;
    }

    SteadyLoad start(Duration period) {
        load.start("steady-load", period, this::sendTick);
        return this;
    }

    /** Stops sending and waits for what is in flight. */
    void stop() throws InterruptedException {
        load.stop();
    }

    /** The services whose alert the broker acknowledged: one incident each is expected. */
    Set<String> alertServices() {
        return Set.copyOf(acknowledgedAlertServices);
    }

    int alertsSent() {
        return acknowledgedAlertServices.size();
    }

    long samplesSent() {
        return acknowledgedSamples.get();
    }

    private void sendTick(int n) {
        Instant now = Instant.now();
        for (int s = 0; s < sampleServices; s++) {
            String service = "steady-" + s;
            double requests = 100.0 * (n + 1);
            for (String status : new String[] {"200", "500"}) {
                MetricSample sample = MetricSample.newBuilder().setName("http_requests_total").setService(service)
                        .setLabels(Map.of("status", status, "namespace", "ml-prod")).setKind(MetricKind.COUNTER)
                        .setValue(requests * (status.equals("200") ? 0.999 : 0.001)).setTimestamp(now).build();
                send(samples, PartitionKeys.metricSample(sample), sample, now, acknowledgedSamples::incrementAndGet);
            }
        }
        String service = "crash-svc-" + n;
        Alert alert = Alert.newBuilder().setFingerprint("fp-crash-" + n).setStatus(AlertStatus.FIRING)
                .setLabels(Map.of("alertname", "HighLatency", "severity", "warning", "service", service,
                        "namespace", "ml-prod"))
                .setAnnotations(Map.of("summary", "p95 above 1 s")).setStartsAt(now)
                .setSource(AlertSource.ALERTMANAGER).setReceivedAt(now).build();
        send(alerts, PartitionKeys.alert(alert), alert, now, () -> acknowledgedAlertServices.add(service));
    }

    private <V> void send(Topic<String, V> topic, String key, V value, Instant at, Runnable onAcknowledged) {
        load.send(topic.name(), topic.keySerde(), key, topic.valueSerde(), value, at, onAcknowledged);
    }

    @Override
    public void close() {
        load.close();
    }
}
