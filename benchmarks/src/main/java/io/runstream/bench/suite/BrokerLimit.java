package io.runstream.bench.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertSource;
import io.runstream.avro.AlertStatus;
import io.runstream.avro.MetricSample;
import io.runstream.bench.SampleLoad;
import io.runstream.kafka.EmbeddedKafkaBroker;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicProvisioner;
import io.runstream.schemas.TopicSettings;
import io.runstream.schemas.TopicSpec;

/**
 * The broker's own limit: Kafka's ProducerPerformance and ConsumerPerformance (the kafka-tools jar of the
 * project's Kafka version), each in a JVM of its own, with records the size of Runstream's metric samples and
 * alerts (key plus Avro value) and the ingest connector's producer settings.
 */
final class BrokerLimit {

    /** The ingest connector's producer settings (RecordPublisher): what Runstream's own writes run with. */
    private static final List<String> CONNECTOR_PRODUCER = List.of("acks=all", "enable.idempotence=true",
            "linger.ms=2", "batch.size=262144", "compression.type=none");
    private static final Pattern RECORDS_PER_SECOND = Pattern.compile("([0-9.]+) records/sec");
    private static final Pattern PRODUCE_P99 = Pattern.compile("(\\d+) ms 99th");
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(8);

    /** Record sizes in bytes and the rates the tools measured, records per second. */
    record Result(int sampleRecordBytes, int alertRecordBytes, double produceSamplesPerSecond,
            double produceSampleP99Millis, double produceAlertsPerSecond, double consumeSamplesPerSecond) {
    }

    private BrokerLimit() {
    }

    static Result measure(EmbeddedKafkaBroker broker, int sampleRecords, int alertRecords, Consumer<String> log)
            throws IOException, InterruptedException {
        int sampleBytes = sampleRecordBytes();
        int alertBytes = alertRecordBytes();
        String samplesTopic = "limit.metric-samples";
        String alertsTopic = "limit.alerts";
        String warmUpTopic = "limit.warm-up";
        // Through the provisioner: it returns only once every partition's leader accepts writes.
        try (Admin admin = Admin.create(broker.clientProperties())) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(List.of(
                    new TopicSpec(samplesTopic, 6, (short) 1, Map.of()),
                    new TopicSpec(alertsTopic, 6, (short) 1, Map.of()),
                    new TopicSpec(warmUpTopic, 6, (short) 1, Map.of())));
        }
        String bootstrap = broker.bootstrapServers();
        // The broker starts with the suite and its JIT is cold: an unmeasured round first (it measured 125,000 to
        // 155,000 records/s cold, below what the connector then pushed through it).
        log.accept("ProducerPerformance warm-up (not counted): " + lastLine(produce(bootstrap, warmUpTopic,
                sampleRecords, sampleBytes)));
        String samples = produce(bootstrap, samplesTopic, sampleRecords, sampleBytes);
        log.accept("ProducerPerformance, " + sampleBytes + "-byte records: " + lastLine(samples));
        String alerts = produce(bootstrap, alertsTopic, alertRecords, alertBytes);
        log.accept("ProducerPerformance, " + alertBytes + "-byte records: " + lastLine(alerts));
        double consumed = consume(bootstrap, samplesTopic, sampleRecords, log);
        return new Result(sampleBytes, alertBytes, recordsPerSecond(samples), produceP99(samples),
                recordsPerSecond(alerts), consumed);
    }

    private static String produce(String bootstrap, String topic, int records, int recordBytes)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("org.apache.kafka.tools.ProducerPerformance",
                "--bootstrap-server", bootstrap, "--topic", topic, "--num-records", Integer.toString(records),
                "--record-size", Integer.toString(recordBytes), "--throughput", "-1", "--command-property"));
        command.addAll(CONNECTOR_PRODUCER);
        return runTool(command);
    }

    /** Records per second fetched, without the group join (ConsumerPerformance's fetch.nMsg.sec). */
    private static double consume(String bootstrap, String topic, int records, Consumer<String> log)
            throws IOException, InterruptedException {
        Path config = Files.createTempFile("runstream-bench-consumer-", ".properties");
        // read_committed, as Kafka Streams reads under exactly_once_v2.
        Files.writeString(config, "isolation.level=read_committed\n");
        try {
            String output = runTool(List.of("org.apache.kafka.tools.ConsumerPerformance", "--bootstrap-server",
                    bootstrap, "--topic", topic, "--num-records", Integer.toString(records), "--timeout", "60000",
                    "--command-config", config.toString()));
            List<String> lines = output.lines().filter(line -> line.contains(",")).toList();
            int header = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("fetch.nMsg.sec")) {
                    header = i;
                }
            }
            if (header < 0 || header + 1 >= lines.size()) {
                throw new IllegalStateException("ConsumerPerformance printed no result:\n" + output);
            }
            List<String> names = List.of(lines.get(header).split(",\\s*"));
            String[] values = lines.get(header + 1).split(",\\s*");
            log.accept("ConsumerPerformance, read_committed: " + lines.get(header + 1));
            return Double.parseDouble(values[names.indexOf("fetch.nMsg.sec")].trim());
        } finally {
            Files.deleteIfExists(config);
        }
    }

    /** Runs a Kafka tool's main class in a JVM of its own, on this JVM's class path; returns what it printed. */
    private static String runTool(List<String> mainAndArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener", "-cp",
                System.getProperty("java.class.path")));
        command.addAll(mainAndArgs);
        Path output = Files.createTempFile("runstream-bench-tool-", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(mainAndArgs.get(0) + " did not finish within " + TOOL_TIMEOUT);
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(mainAndArgs.get(0) + " exited " + process.exitValue() + ":\n"
                        + printed);
            }
            return printed;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static double recordsPerSecond(String producerOutput) {
        Matcher matcher = RECORDS_PER_SECOND.matcher(lastLine(producerOutput));
        if (!matcher.find()) {
            throw new IllegalStateException("ProducerPerformance printed no rate:\n" + producerOutput);
        }
        return Double.parseDouble(matcher.group(1));
    }

    private static double produceP99(String producerOutput) {
        Matcher matcher = PRODUCE_P99.matcher(lastLine(producerOutput));
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
    }

    /** ProducerPerformance's summary: the last line with percentiles. */
    private static String lastLine(String output) {
        List<String> summaries = output.lines().filter(line -> line.contains("records/sec")).toList();
        return summaries.isEmpty() ? "" : summaries.get(summaries.size() - 1);
    }

    /** A metric sample as remote_write produces it: service key plus Avro value. */
    static int sampleRecordBytes() {
        TopicCatalog topics = new TopicCatalog(TopicSettings.DEFAULTS, RunstreamSerdes.avro());
        MetricSample sample = new SampleLoad(1, Instant.now()).step(0).get(2);
        return topics.metricSamples().keySerde().serializer().serialize("t", sample.getService()).length
                + topics.metricSamples().valueSerde().serializer().serialize("t", sample).length;
    }

    /** An alert as the webhook produces it: fingerprint key plus Avro value. */
    static int alertRecordBytes() {
        TopicCatalog topics = new TopicCatalog(TopicSettings.DEFAULTS, RunstreamSerdes.avro());
        Instant now = Instant.now();
        Alert alert = Alert.newBuilder().setFingerprint("5eed00000000002a").setStatus(AlertStatus.FIRING)
                .setLabels(Map.of("alertname", "HighErrorRate", "service", "svc-42", "namespace", "shop",
                        "severity", "critical", "pod", "pod-42"))
                .setAnnotations(Map.of("summary", "5xx above 5% for 5m")).setStartsAt(now)
                .setGeneratorUrl("http://prometheus:9090/graph").setSource(AlertSource.ALERTMANAGER)
                .setReceivedAt(now).build();
        return topics.alerts().keySerde().serializer().serialize("t", alert.getFingerprint()).length
                + topics.alerts().valueSerde().serializer().serialize("t", alert).length;
    }
}
