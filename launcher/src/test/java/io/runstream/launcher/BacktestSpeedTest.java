package io.runstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runstream.avro.MetricKind;
import io.runstream.avro.MetricSample;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;
import picocli.CommandLine;

/**
 * The backtest's speed (docs/benchmarks.md): {@code backtest.speed.services} services' traffic for
 * {@code backtest.speed.minutes} minutes, each service scraped every 15 s as the scenarios' gateway is (2xx and 5xx
 * request counters, six latency buckets; one service in fifty fails 12 % of its requests for a while, so incidents
 * open, escalate and page), produced into a real broker with event-time record timestamps, then backtested.
 * Not part of CI: run it with {@code -Dtest=BacktestSpeedTest -Dbacktest.speed.services=1000}.
 */
@WithKafka
@EnabledIfSystemProperty(named = "backtest.speed.services", matches = "\\d+")
class BacktestSpeedTest {

    private static final String[] BUCKETS = {"0.1", "0.25", "0.5", "1", "2.5", "+Inf"};
    private static final double[] BUCKET_SHARE = {0.50, 0.80, 0.95, 0.99, 1.0, 1.0};
    private static final Duration STEP = Duration.ofSeconds(15);

    @Test
    void backtestsAtLeastAHundredTimesFasterThanRealTime(TestKafka kafka, @TempDir Path dir) throws Exception {
        int services = Integer.getInteger("backtest.speed.services");
        int minutes = Integer.getInteger("backtest.speed.minutes", 10);
        String prefix = kafka.uniqueId("speed") + ".";
        TopicCatalog topics = new TopicCatalog(new TopicSettings(prefix, 1, (short) 1), RunstreamSerdes.avro());
        // the history ends a day before now: a broker refuses records timestamped more than an hour ahead of its clock
        // (message.timestamp.after.max.ms), and real history is in the past anyway
        Instant from = Instant.now().minus(Duration.ofMinutes(minutes)).minus(Duration.ofDays(1))
                .truncatedTo(ChronoUnit.DAYS);
        int steps = minutes * 60 / (int) STEP.toSeconds();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()))) {
            // retention off: the history's timestamps are in the past, and a week of it would age out as it is written
            // under the broker's default 7 days
            admin.createTopics(List.of(new NewTopic(topics.metricSamples().name(), 2, (short) 1)
                    .configs(Map.of("retention.ms", "-1")))).all().get();
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        Serializer<MetricSample> values = topics.metricSamples().valueSerde().serializer();
        long produced = 0;
        Refusals refusals = new Refusals();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int step = 0; step < steps; step++) {
                Instant at = from.plus(STEP.multipliedBy(step));
                double requests = 1500.0 * (step + 1);
                for (int s = 0; s < services; s++) {
                    String service = "model-" + s;
                    // one service in fifty fails 12 % of its requests in the second quarter of the range
                    boolean failing = s % 50 == 0 && step > steps / 4 && step < steps / 2;
                    double errors = failing ? 0.12 : 0.001;
                    produced += send(producer, topics, values, refusals, sample(service, "http_requests_total",
                            MetricKind.COUNTER, Map.of("status", "200", "namespace", "ml-prod"),
                            requests * (1 - errors), at));
                    produced += send(producer, topics, values, refusals, sample(service, "http_requests_total",
                            MetricKind.COUNTER, Map.of("status", "500", "namespace", "ml-prod"), requests * errors, at));
                    for (int b = 0; b < BUCKETS.length; b++) {
                        produced += send(producer, topics, values, refusals, sample(service,
                                "http_request_duration_seconds_bucket", MetricKind.HISTOGRAM_BUCKET,
                                Map.of("le", BUCKETS[b], "namespace", "ml-prod"), requests * BUCKET_SHARE[b], at));
                    }
                }
            }
        }
        // a history with holes would make the speed figure meaningless: fail now, not after an hour of replay
        assertThat(refusals.count.get()).as("samples the broker refused, the first: %s", refusals.first.get())
                .isZero();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        BacktestCommand command = new BacktestCommand();
        command.stdout = new PrintStream(printed, true, StandardCharsets.UTF_8);
        long started = System.nanoTime();
        int exit = new CommandLine(command).execute("--bootstrap-servers", kafka.bootstrapServers(),
                "--topic-prefix", prefix, "--from", from.toString(),
                "--to", from.plus(Duration.ofMinutes(minutes)).toString(), "--out", dir.toString());
        double seconds = (System.nanoTime() - started) / 1e9;
        String table = printed.toString(StandardCharsets.UTF_8);
        System.out.println(table);
        assertThat(exit).isZero();
        JsonNode replayed = new ObjectMapper().readTree(dir.resolve("report.json").toFile()).path("report")
                .path("replayed");
        double replaySeconds = replayed.path("replaySeconds").asDouble();
        double cpuPerReplay = replayed.path("replayCpuSeconds").asDouble() / 2;
        long records = replayed.path("records").asLong();
        long week = produced * 7 * 24 * 60 / minutes;
        // wall time depends on what else the machine runs; CPU time per replay is what a quiet 2-core machine
        // would take, each replay on a core of its own
        String figures = String.format("backtest speed: %d services, %d min, %d samples; whole command (read + 2 "
                + "replays + report) %.1f s = %.0fx real time; the two replays side by side %.1f s = %.0f samples/s "
                + "per replay = %.0fx real time; CPU per replay %.1f s = %.0f samples per CPU-second = %.0fx real time; "
                + "a week (%d samples) extrapolated: %.1f h wall, %.1f h on a quiet machine (%.0fx); load average "
                + "%s%n", services, minutes, produced, seconds, minutes * 60 / seconds, replaySeconds,
                records / replaySeconds, minutes * 60 / replaySeconds, cpuPerReplay, records / cpuPerReplay,
                minutes * 60 / cpuPerReplay, week, week / (records / replaySeconds) / 3600,
                week / (records / cpuPerReplay) / 3600, minutes * 60 / cpuPerReplay, loadAverage());
        System.out.println(figures);
        // kept beside the build as well: a week's run takes an hour, and a forked JVM that dies on its way out loses
        // its captured output
        Files.writeString(Path.of("target", "backtest-speed.txt"), table + figures);
        Files.copy(dir.resolve("report.json"), Path.of("target", "backtest-speed-report.json"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static int send(KafkaProducer<byte[], byte[]> producer, TopicCatalog topics,
            Serializer<MetricSample> values, Refusals refusals, MetricSample sample) {
        String topic = topics.metricSamples().name();
        producer.send(new ProducerRecord<>(topic, null, sample.getTimestamp().toEpochMilli(),
                sample.getService().getBytes(StandardCharsets.UTF_8), values.serialize(topic, sample)), refusals);
        return 1;
    }

    /** Counts the sends the broker refused and keeps the first error. */
    private static final class Refusals implements Callback {
        final AtomicLong count = new AtomicLong();
        final AtomicReference<Exception> first = new AtomicReference<>();

        @Override
        public void onCompletion(RecordMetadata metadata, Exception error) {
            if (error != null) {
                count.incrementAndGet();
                first.compareAndSet(null, error);
            }
        }
    }

    private static MetricSample sample(String service, String name, MetricKind kind, Map<String, String> labels,
            double value, Instant at) {
        return MetricSample.newBuilder().setName(name).setService(service).setLabels(labels).setKind(kind)
                .setValue(value).setTimestamp(at).build();
    }
}
