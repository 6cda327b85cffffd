package io.runstream.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionType;
import io.runstream.avro.Alert;
import io.runstream.avro.AlertSource;
import io.runstream.avro.AlertStatus;
import io.runstream.kafka.EmbeddedKafkaBroker;
import io.runstream.processor.RunstreamTopology;
import io.runstream.processor.errors.DeadLetterConfig;
import io.runstream.processor.rules.RulesFile;
import io.runstream.processor.rules.RunbooksFiles;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.Topic;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicProvisioner;
import io.runstream.schemas.TopicSettings;

/**
 * Alert on the alerts topic to action command committed on action-commands (read_committed), p50 / p99 / max,
 * at a steady rate of alerts: each alert is a HighLatency of a service of its own, which the scale-on-saturation
 * runbook answers with one SCALE command. Runs with exactly_once_v2 at each commit interval given.
 *
 * <p>Options: {@code --rate N} alerts/s (default 200), {@code --seconds N} per run (20), {@code --commit-ms A,B}
 * (100,50,20), {@code --warmup-seconds N} (15, an unmeasured first run), {@code --out FILE}
 * (docs/benchmarks/latency.json).
 */
public final class LatencyBenchmark {

    private LatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int rate = Integer.parseInt(options.getOrDefault("rate", "200"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
        List<Integer> commits = new ArrayList<>();
        for (String value : options.getOrDefault("commit-ms", "100,50,20").split(",")) {
            commits.add(Integer.parseInt(value.trim()));
        }
        Path out = Path.of(options.getOrDefault("out", "docs/benchmarks/latency.json"));
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("benchmark", "alert-to-action-command latency, exactly_once_v2");
        results.put("machine", Report.machine());
        results.put("rate_per_second", rate);
        results.put("seconds_per_run", seconds);
        results.put("warmup_seconds", options.getOrDefault("warmup-seconds", "15"));
        Path brokerDir = Files.createTempDirectory("runstream-bench-kafka-");
        int warmup = Integer.parseInt(options.getOrDefault("warmup-seconds", "15"));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDirectory(brokerDir).build().start()) {
            // A first, unmeasured run: without it the first figure measures the JIT compiler, not the pipeline.
            if (warmup > 0) {
                run(broker, rate, warmup, commits.get(0));
            }
            for (int commitMs : commits) {
                List<Double> latencies = run(broker, rate, seconds, commitMs);
                Map<String, Object> figures = summary(latencies);
                System.out.printf("commit.interval.ms=%-4d %d commands  p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms%n",
                        commitMs, latencies.size(), figures.get("p50_ms"), figures.get("p99_ms"),
                        figures.get("max_ms"));
                results.put("commit_interval_ms_" + commitMs, figures);
            }
        }
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), results);
        System.out.println("machine: " + Report.machine());
        System.out.println("results written to " + out);
    }

    private static List<Double> run(EmbeddedKafkaBroker broker, int rate, int seconds, int commitMs)
            throws Exception {
        String prefix = "lat-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        TopicCatalog topics = new TopicCatalog(new TopicSettings(prefix, 6, (short) 1), RunstreamSerdes.avro());
        try (Admin admin = Admin.create(broker.clientProperties())) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(topics.specs());
        }
        Path stateDir = Files.createTempDirectory("runstream-bench-state-");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Properties props = broker.clientProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "lat-" + UUID.randomUUID());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "exactly_once_v2");
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Integer.toString(commitMs));
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        RunstreamTopology.applySettings(props);
        DeadLetterConfig.apply(props, topics.deadLetters().name(), registry);
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean consuming = new AtomicBoolean(true);
        try (KafkaStreams streams = new KafkaStreams(RunstreamTopology.build(topics, RulesFile.defaults(),
                RunbooksFiles.load(null), registry, props), props)) {
            streams.start();
            waitUntilRunning(streams);
            AtomicBoolean ready = new AtomicBoolean(false);
            Thread consumer = new Thread(() -> consume(broker, topics.actionCommands(), sentAt, latencies, consuming,
                    ready));
            consumer.start();
            while (!ready.get()) {
                Thread.sleep(10);
            }
            produce(broker, topics.alerts(), rate, seconds, sentAt);
            long deadline = System.currentTimeMillis() + 15_000;
            while (latencies.size() < sentAt.size() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            consuming.set(false);
            consumer.join();
        }
        return new ArrayList<>(latencies);
    }

    private static void produce(EmbeddedKafkaBroker broker, Topic<String, Alert> topic, int rate, int seconds,
            Map<String, Long> sentAt) throws InterruptedException {
        Properties props = broker.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        try (KafkaProducer<String, Alert> producer = new KafkaProducer<>(props, topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            long intervalNanos = 1_000_000_000L / rate;
            long next = System.nanoTime();
            for (int i = 0; i < rate * seconds; i++) {
                while (System.nanoTime() < next) {
                    Thread.onSpinWait();
                }
                next += intervalNanos;
                String service = "svc-" + i;
                Instant now = Instant.now();
                Alert alert = Alert.newBuilder().setFingerprint("fp-" + i).setStatus(AlertStatus.FIRING)
                        .setLabels(Map.of("alertname", "HighLatency", "severity", "warning", "service", service,
                                "namespace", "ml-prod"))
                        .setAnnotations(Map.of("summary", "p95 above 1 s")).setStartsAt(now)
                        .setSource(AlertSource.ALERTMANAGER).setReceivedAt(now).build();
                sentAt.put(service, System.nanoTime());
                producer.send(new ProducerRecord<>(topic.name(), null, now.toEpochMilli(), alert.getFingerprint(),
                        alert));
            }
            producer.flush();
        }
    }

    private static void consume(EmbeddedKafkaBroker broker, Topic<String, ActionCommand> topic,
            Map<String, Long> sentAt, List<Double> latencies, AtomicBoolean running, AtomicBoolean ready) {
        Properties props = broker.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");
        try (KafkaConsumer<String, ActionCommand> consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            // Assigned, not subscribed: a consumer group's join delay would count as pipeline latency.
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            ready.set(true);
            while (running.get()) {
                consumer.poll(Duration.ofMillis(20)).forEach(record -> {
                    long now = System.nanoTime();
                    if (record.value().getType() == ActionType.SCALE) {
                        Long sent = sentAt.get(record.value().getTarget().getName());
                        if (sent != null) {
                            latencies.add((now - sent) / 1e6);
                        }
                    }
                });
            }
        }
    }

    private static void waitUntilRunning(KafkaStreams streams) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("streams did not start: " + streams.state());
            }
            Thread.sleep(50);
        }
        // Let the first rebalance of every sub-topology settle before the clock runs.
        Thread.sleep(3000);
    }

    private static Map<String, Object> summary(List<Double> latencies) {
        List<Double> sorted = new ArrayList<>(latencies);
        java.util.Collections.sort(sorted);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("commands", sorted.size());
        figures.put("p50_ms", percentile(sorted, 0.50));
        figures.put("p99_ms", percentile(sorted, 0.99));
        figures.put("max_ms", sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1));
        return figures;
    }

    private static double percentile(List<Double> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            values.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return values;
    }
}
