package io.runstream.processor.fault;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertSource;
import io.runstream.avro.AlertStatus;
import io.runstream.avro.MetricKind;
import io.runstream.avro.MetricSample;
import io.runstream.schemas.Topic;

/**
 * A steady stream into the processor, sent every {@code period} on a thread of its own: healthy request
 * counters of {@code sampleServices} services (they keep detection busy without raising anything), and one
 * firing HighLatency alert of a service of its own per tick, each of which must become one incident with
 * its runbook and escalation commands. Only records the broker acknowledged count as sent.
 */
final class SteadyLoad implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final Topic<String, MetricSample> samples;
    private final Topic<String, Alert> alerts;
    private final int sampleServices;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "steady-load");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger tick = new AtomicInteger();
    private final Set<String> acknowledgedAlertServices = ConcurrentHashMap.newKeySet();
    private final AtomicLong acknowledgedSamples = new AtomicLong();

    SteadyLoad(Properties clientProperties, Topic<String, MetricSample> samples, Topic<String, Alert> alerts,
            int sampleServices) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.samples = samples;
        this.alerts = alerts;
        this.sampleServices = sampleServices;
    }

    SteadyLoad start(Duration period) {
        ticker.scheduleAtFixedRate(this::sendTick, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Stops sending and waits for what is in flight. */
    void stop() throws InterruptedException {
        ticker.shutdown();
        ticker.awaitTermination(30, TimeUnit.SECONDS);
        producer.flush();
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

    private void sendTick() {
        int n = tick.getAndIncrement();
        Instant now = Instant.now();
        for (int s = 0; s < sampleServices; s++) {
            String service = "steady-" + s;
            double requests = 100.0 * (n + 1);
            send(samples, service, sample(service, "200", requests * 0.999, now), now,
                    () -> acknowledgedSamples.incrementAndGet());
            send(samples, service, sample(service, "500", requests * 0.001, now), now,
                    () -> acknowledgedSamples.incrementAndGet());
        }
        String service = "crash-svc-" + n;
        Alert alert = Alert.newBuilder().setFingerprint("fp-crash-" + n).setStatus(AlertStatus.FIRING)
                .setLabels(Map.of("alertname", "HighLatency", "severity", "warning", "service", service,
                        "namespace", "ml-prod"))
                .setAnnotations(Map.of("summary", "p95 above 1 s")).setStartsAt(now)
                .setSource(AlertSource.ALERTMANAGER).setReceivedAt(now).build();
        send(alerts, alert.getFingerprint(), alert, now, () -> acknowledgedAlertServices.add(service));
    }

    private <V> void send(Topic<String, V> topic, String key, V value, Instant at, Runnable onAcknowledged) {
        byte[] keyBytes = topic.keySerde().serializer().serialize(topic.name(), key);
        byte[] valueBytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        producer.send(new ProducerRecord<>(topic.name(), null, at.toEpochMilli(), keyBytes, valueBytes),
                (metadata, error) -> {
                    if (error == null) {
                        onAcknowledged.run();
                    }
                });
    }

    private static MetricSample sample(String service, String status, double value, Instant at) {
        return MetricSample.newBuilder().setName("http_requests_total").setService(service)
                .setLabels(Map.of("status", status, "namespace", "ml-prod")).setKind(MetricKind.COUNTER)
                .setValue(value).setTimestamp(at).build();
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }
}
