package io.runstream.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * A fixed-rate stream into the processor, sent every 100 ms: healthy scrapes (two request counters and six
 * latency buckets per service, stamped with the wall clock, services in turn) and firing critical HighLatency
 * alerts, each of a service of its own, so each must become exactly one incident. With a {@code resolveAfter}, each
 * acknowledged alert is sent again as resolved that long after it fired, so incidents also resolve (and age out)
 * all along. Only what the broker acknowledged (acks=all, idempotent) counts as sent.
 */
final class SteadyPipelineLoad implements AutoCloseable {

    private static final String[] BUCKETS = {"0.1", "0.25", "0.5", "1", "2.5", "+Inf"};
    private static final double[] BUCKET_SHARE = {0.50, 0.80, 0.95, 0.99, 1.0, 1.0};
    private static final int TICKS_PER_SECOND = 10;

    private final KafkaLoad load;
    private final Topic<String, MetricSample> samples;
    private final Topic<String, Alert> alerts;
    private final double scrapesPerTick;
    private final double alertsPerTick;
    private final int services;
    private final long[] scrapes;
    private final Set<String> acknowledgedAlertServices = ConcurrentHashMap.newKeySet();
    private final AtomicLong acknowledgedSamples = new AtomicLong();
    private final Duration resolveAfter;
    private final Queue<Alert> toResolve = new ConcurrentLinkedQueue<>();
    private final Map<String, Instant> acknowledgedResolutions = new ConcurrentHashMap<>();
    private long nextService;
    private long nextAlert;
    // Rates below one item per tick accumulate across ticks instead of rounding up to one per tick.
    private double scrapesDue;
    private double alertsDue;

    SteadyPipelineLoad(Properties clientProperties, Topic<String, MetricSample> samples, Topic<String, Alert> alerts,
            int samplesPerSecond, int alertsPerSecond, int services) {
        this(clientProperties, samples, alerts, samplesPerSecond, alertsPerSecond, services, Duration.ZERO);
    }

    SteadyPipelineLoad(Properties clientProperties, Topic<String, MetricSample> samples, Topic<String, Alert> alerts,
            int samplesPerSecond, int alertsPerSecond, int services, Duration resolveAfter) {
        this.resolveAfter = resolveAfter;
        this.load = new KafkaLoad(clientProperties, Map.of(ProducerConfig.LINGER_MS_CONFIG, "10",
                ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(128 * 1024)));
        this.samples = samples;
        this.alerts = alerts;
        this.scrapesPerTick = samplesPerSecond / 8.0 / TICKS_PER_SECOND;
        this.alertsPerTick = alertsPerSecond / (double) TICKS_PER_SECOND;
        this.services = services;
        this.scrapes = new long[services];
    }

    void start() {
        load.start("steady-pipeline-load", Duration.ofMillis(1000 / TICKS_PER_SECOND), tick -> tick());
    }

    void stop() throws InterruptedException {
        load.stop();
    }

    Set<String> alertServices() {
        return Set.copyOf(acknowledgedAlertServices);
    }

    /** Alerted services whose resolved alert the broker acknowledged, with when it was sent. */
    Map<String, Instant> resolvedServices() {
        return Map.copyOf(acknowledgedResolutions);
    }

    long samplesSent() {
        return acknowledgedSamples.get();
    }

    long failedSends() {
        return load.failedSends();
    }

    /** Ticks that began more than a tick late: the sender itself could not keep the rate. */
    long lateTicks() {
        return load.lateTicks();
    }

    private void tick() {
        Instant at = Instant.now();
        scrapesDue += scrapesPerTick;
        for (; scrapesDue >= 1; scrapesDue--) {
            int service = (int) (nextService++ % services);
            sendScrape("model-" + service, ++scrapes[service], at);
        }
        alertsDue += alertsPerTick;
        for (; alertsDue >= 1; alertsDue--) {
            String service = "alerted-" + nextAlert++;
            Alert alert = Alert.newBuilder().setFingerprint("fp-" + service).setStatus(AlertStatus.FIRING)
                    .setLabels(Map.of("alertname", "HighLatency", "severity", "critical", "service", service,
                            "namespace", "ml-prod"))
                    .setAnnotations(Map.of("summary", "p95 above 1 s")).setStartsAt(at)
                    .setSource(AlertSource.ALERTMANAGER).setReceivedAt(at).build();
            send(alerts, PartitionKeys.alert(alert), alert, at, () -> {
                acknowledgedAlertServices.add(service);
                if (!resolveAfter.isZero()) {
                    toResolve.add(alert);
                }
            });
        }
        // acknowledgements arrive in sending order per partition, so the head is (nearly) the earliest due
        for (Alert firing = toResolve.peek(); firing != null
                && !at.isBefore(firing.getStartsAt().plus(resolveAfter)); firing = toResolve.peek()) {
            toResolve.poll();
            Alert resolved = Alert.newBuilder(firing).setStatus(AlertStatus.RESOLVED).setEndsAt(at).setReceivedAt(at)
                    .build();
            String service = firing.getLabels().get("service");
            send(alerts, PartitionKeys.alert(resolved), resolved, at, () -> acknowledgedResolutions.put(service, at));
        }
    }

    private void sendScrape(String service, long scrape, Instant at) {
        double requests = 1500.0 * scrape;
        Runnable counted = acknowledgedSamples::incrementAndGet;
        send(samples, service, sample(service, "http_requests_total", MetricKind.COUNTER,
                Map.of("status", "200", "namespace", "ml-prod"), requests * 0.999, at), at, counted);
        send(samples, service, sample(service, "http_requests_total", MetricKind.COUNTER,
                Map.of("status", "500", "namespace", "ml-prod"), requests * 0.001, at), at, counted);
        for (int b = 0; b < BUCKETS.length; b++) {
            send(samples, service, sample(service, "http_request_duration_seconds_bucket", MetricKind.HISTOGRAM_BUCKET,
                    Map.of("le", BUCKETS[b], "namespace", "ml-prod"), requests * BUCKET_SHARE[b], at), at, counted);
        }
    }

    private <V> void send(Topic<String, V> topic, String key, V value, Instant at, Runnable onAcknowledged) {
        load.send(topic.name(), topic.keySerde(), key, topic.valueSerde(), value, at, onAcknowledged);
    }

    private static MetricSample sample(String service, String name, MetricKind kind, Map<String, String> labels,
            double value, Instant at) {
        return MetricSample.newBuilder().setName(name).setService(service).setLabels(labels).setKind(kind)
                .setValue(value).setTimestamp(at).build();
    }

    @Override
    public void close() {
        load.close();
    }
}
