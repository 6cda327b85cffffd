package io.runstream.bench.suite;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionType;
import io.runstream.avro.MetricSample;
import io.runstream.bench.SampleLoad;
import io.runstream.common.http.HttpSettings;
import io.runstream.common.kafka.KafkaSettings;
import io.runstream.ingest.IngestConnector;
import io.runstream.ingest.IngestConnectorConfig;
import io.runstream.ingest.IngestSettings;
import io.runstream.kafka.EmbeddedKafkaBroker;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.Topic;
import io.runstream.processor.ApplicationSettings;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;

/**
 * Alert received by the connector to action command committed: HighLatency alerts, one service each, posted one
 * per request to the connector's Alertmanager webhook at a fixed rate, while metric samples stream into
 * detection at a steady background rate; each alert opens an incident whose scale-on-saturation runbook issues
 * a SCALE command, timed when a read_committed consumer on action-commands reads it.
 */
final class EndToEndLatency {

    /**
     * The incident stages' commit interval when split, as the processor runs them by default
     * ({@code streams.incidents.commitInterval}); detection (or, single, the one application) commits at the suite's
     * {@code commitMs}.
     */
    private static final int INCIDENTS_COMMIT_MS = (int) ApplicationSettings.INCIDENTS.commitInterval().toMillis();

    private EndToEndLatency() {
    }

    static LatencySummary measure(EmbeddedKafkaBroker broker, SuiteSettings settings, Consumer<String> log)
            throws Exception {
        String prefix = "e2e-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        TopicCatalog topics = new TopicCatalog(new TopicSettings(prefix, 6, (short) 1), RunstreamSerdes.avro());
        ProcessorInstance.provision(broker, topics);
        PacedAlerts alerts = new PacedAlerts();
        AtomicBoolean running = new AtomicBoolean(true);
        // Commands of any type: when no SCALE arrives, tells a stalled pipeline from a changed runbook.
        AtomicLong commandsRead = new AtomicLong();
        try (IngestConnector connector = startConnector(broker, prefix);
                ProcessorInstance processor = (settings.split()
                        ? new ProcessorInstance(broker, topics, prefix + "app", "exactly_once_v2", settings.commitMs(),
                                INCIDENTS_COMMIT_MS)
                        : new ProcessorInstance(broker, topics, prefix + "app", "exactly_once_v2",
                                settings.commitMs())).start()) {
            Waits.until(processor::runningWithTasks, Duration.ofMinutes(2), "the processor running");
            AtomicBoolean consumerReady = new AtomicBoolean();
            Thread commands = new Thread(() -> readCommands(broker, topics.actionCommands(), alerts, commandsRead,
                    running, consumerReady), "e2e-action-commands");
            commands.start();
            Thread background = new Thread(() -> backgroundSamples(broker, topics.metricSamples(),
                    settings.latencyBackgroundSamplesPerSecond(), running), "e2e-background-samples");
            background.start();
            Waits.until(consumerReady::get, Duration.ofSeconds(30), "the action-commands reader");
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI webhook = connector.uri().resolve("/api/v1/alertmanager");
            alerts.send(client, settings.latencyAlertsPerSecond(), settings.latencyWarmup(),
                    settings.latencyMeasured(), "e2e-svc-", service -> webhookRequest(webhook, service));
            try {
                Waits.until(alerts::allMeasuredArrived, Duration.ofSeconds(60), "every measured command");
            } catch (IllegalStateException missing) {
                log.accept(String.format(Locale.ROOT, "not every command arrived within 60 s (processor state %s, "
                        + "%.0f incidents opened, %.0f samples processed); the missing ones are reported",
                        processor.state(), processor.incidentsOpened(), processor.samplesProcessed()));
            }
            running.set(false);
            commands.join();
            background.join();
        } finally {
            running.set(false);
        }
        LatencySummary summary = alerts.summary();
        log.accept("alert -> action command (exactly_once_v2, " + (settings.split() ? "split: detection commit "
                + settings.commitMs() + " ms, incident stages " + INCIDENTS_COMMIT_MS + " ms"
                : "single: commit " + settings.commitMs() + " ms") + ", background "
                + settings.latencyBackgroundSamplesPerSecond() + " samples/s): " + summary + ", "
                + commandsRead.get() + " action commands read in all"
                + (alerts.failedRequests() > 0 ? ", " + alerts.failedRequests() + " failed requests" : ""));
        return summary;
    }

    private static IngestConnector startConnector(EmbeddedKafkaBroker broker, String prefix) {
        IngestSettings ingest = new IngestSettings(10L * 1024 * 1024, 32, Duration.ofSeconds(10),
                Duration.ofSeconds(5), null, null);
        IngestConnector connector = new IngestConnector(new IngestConnectorConfig(new KafkaSettings(
                broker.bootstrapServers(), prefix, 6, (short) 1, Map.of()), HttpSettings.loopback(), ingest));
        connector.start();
        return connector;
    }

    /** Alertmanager's webhook payload (version 4) with one firing HighLatency alert of {@code service}. */
    static HttpRequest webhookRequest(URI uri, String service) {
        String body = "{\"version\":\"4\",\"groupKey\":\"{}:{service=\\\"" + service + "\\\"}\","
                + "\"truncatedAlerts\":0,\"status\":\"firing\",\"receiver\":\"runstream\",\"groupLabels\":{},"
                + "\"commonLabels\":{},\"commonAnnotations\":{},\"externalURL\":\"http://alertmanager:9093\","
                + "\"alerts\":[{\"status\":\"firing\",\"labels\":" + labels(service)
                + ",\"annotations\":{\"summary\":\"p95 above 1 s\"},\"startsAt\":\"" + Instant.now()
                + "\",\"endsAt\":\"0001-01-01T00:00:00Z\",\"generatorURL\":\"http://prometheus:9090/graph\","
                + "\"fingerprint\":\"" + String.format(Locale.ROOT, "%016x", service.hashCode() & 0xffffffffL)
                + "\"}]}";
        return post(uri, body);
    }

    static String labels(String service) {
        return "{\"alertname\":\"HighLatency\",\"severity\":\"warning\",\"service\":\"" + service
                + "\",\"namespace\":\"ml-prod\"}";
    }

    static HttpRequest post(URI uri, String json) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
    }

    private static void readCommands(EmbeddedKafkaBroker broker, Topic<String, ActionCommand> topic,
            PacedAlerts alerts, AtomicLong commandsRead, AtomicBoolean running, AtomicBoolean ready) {
        Properties props = broker.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");
        try (KafkaConsumer<String, ActionCommand> consumer = new KafkaConsumer<>(props,
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            // Assigned, not subscribed: a consumer group's join would count as pipeline latency.
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            ready.set(true);
            while (running.get()) {
                consumer.poll(Duration.ofMillis(20)).forEach(record -> {
                    long now = System.nanoTime();
                    commandsRead.incrementAndGet();
                    if (record.value().getType() == ActionType.SCALE) {
                        alerts.arrived(record.value().getTarget().getName(), now);
                    }
                });
            }
        }
    }

    /** Healthy samples of 100 services at a fixed rate, as remote_write writes them, until told to stop. */
    private static void backgroundSamples(EmbeddedKafkaBroker broker, Topic<String, MetricSample> topic,
            int perSecond, AtomicBoolean running) {
        if (perSecond <= 0) {
            return;
        }
        Properties props = broker.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        SampleLoad load = new SampleLoad(100, Instant.now().minus(Duration.ofDays(1)));
        long tick = Duration.ofMillis(10).toNanos();
        int perTick = Math.max(1, perSecond / 100);
        try (KafkaProducer<String, MetricSample> producer = new KafkaProducer<>(props, topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            List<MetricSample> step = List.of();
            int stepNumber = 0;
            int next = 0;
            long due = System.nanoTime();
            while (running.get()) {
                for (int i = 0; i < perTick; i++) {
                    if (next == step.size()) {
                        step = load.step(stepNumber++);
                        next = 0;
                    }
                    MetricSample sample = step.get(next++);
                    producer.send(new ProducerRecord<>(topic.name(), null, sample.getTimestamp().toEpochMilli(),
                            sample.getService(), sample));
                }
                due += tick;
                LockSupport.parkNanos(due - System.nanoTime());
            }
        }
    }
}
