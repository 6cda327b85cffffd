package io.runstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertSource;
import io.runstream.avro.AlertStatus;
import io.runstream.launcher.api.IncidentApiClient;
import io.runstream.launcher.scenario.KafkaRolloutAnnouncer;
import io.runstream.launcher.scenario.ScenarioRunner;
import io.runstream.launcher.scenario.Scenarios;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;
import io.runstream.schemas.registry.SchemaSettings;
import io.runstream.testing.CommittedRecords;
import io.runstream.testing.RequiredTool;
import io.runstream.testing.TestKafka;
import io.runstream.testing.TestSchemaRegistry;
import io.runstream.testing.WithKafka;
import io.runstream.testing.WithSchemaRegistry;
import picocli.CommandLine;

/**
 * The whole stack with {@code schemas.format: confluent} against a real schema registry (Apicurio Registry's
 * Confluent API): the bad-rollout story runs to its resolution, every record the downstream teams read is in
 * Confluent framing, and Confluent's own Python {@code AvroConsumer} reads the resolved incident through the
 * registry; a topic written half in single-object encoding and half in Confluent framing reads whole.
 */
@WithKafka
@WithSchemaRegistry
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfluentFormatPipelineIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("..", "examples", "python", "runstream_registry_consumer.py");

    private TestStack stack;
    private TestKafka kafka;
    private TestSchemaRegistry registry;
    private TopicCatalog topics;

    @BeforeAll
    void startTheStackInConfluentFormat(TestKafka kafka, TestSchemaRegistry registry, @TempDir Path state)
            throws Exception {
        this.kafka = kafka;
        this.registry = registry;
        stack = new TestStack(kafka, state, Map.of("RUNSTREAM_SCHEMAS_FORMAT", "confluent",
                "RUNSTREAM_SCHEMAS_REGISTRY_URL", registry.url()));
        topics = new TopicCatalog(new TopicSettings(stack.stack.kafka().topicPrefix(), 2, (short) 1),
                RunstreamSerdes.from(SchemaSettings.confluent(registry.url())));
    }

    @AfterAll
    void stopTheStack() throws Exception {
        stack.close();
    }

    @Test
    @Timeout(180)
    void badRolloutResolvesAndConfluentsPythonAvroConsumerReadsTheResolvedIncident() throws Exception {
        boolean python = Files.isExecutable(PYTHON) && run(List.of(PYTHON.toString(), "-c",
                "import confluent_kafka.avro")).exitCode() == 0;
        RequiredTool.available(python, "/usr/bin/python3 with python3-avro and python3-confluent-kafka",
                "apt-get install python3-avro python3-confluent-kafka; .ci/run does");

        try (KafkaRolloutAnnouncer rollouts = new KafkaRolloutAnnouncer(stack.stack.kafka().clientProperties(),
                stack.stack.kafka().topicPrefix(), SchemaSettings.confluent(registry.url()))) {
            new ScenarioRunner(stack.ingestClient(), stack.apiClient(), stack.api().resolve("/dashboard"), rollouts,
                    60, Duration.ofSeconds(2)).play(Scenarios.named("bad-rollout").orElseThrow(),
                    new PrintStream(System.out, true, StandardCharsets.UTF_8));
        }
        IncidentApiClient api = stack.apiClient();
        List<JsonNode> incidents = api.list(Map.of("service", "inference-gateway"), 50);
        assertThat(incidents).hasSize(1);
        String id = incidents.get(0).path("id").asText();
        assertThat(api.incident(id).path("state").asText()).isEqualTo("RESOLVED");

        for (String topic : List.of(topics.alerts().name(), topics.metricSamples().name(),
                topics.deploymentEvents().name(), topics.incidents().name(), topics.incidentEvents().name(),
                topics.actionCommands().name(), topics.actionResults().name())) {
            List<ConsumerRecord<byte[], byte[]>> records = CommittedRecords.read(kafka.clientProperties(), topic,
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            assertThat(records).as(topic).isNotEmpty();
            assertThat(records).as("every value on %s in Confluent framing", topic)
                    .allSatisfy(r -> assertThat(r.value() == null || r.value()[0] == 0).isTrue());
        }

        Result consumer = run(List.of(PYTHON.toString(), SCRIPT.toString(), "--bootstrap-servers",
                kafka.bootstrapServers(), "--schema-registry", registry.url(), topics.incidents().name(),
                "--timeout", "8"));
        assertThat(consumer.exitCode()).as(consumer.output()).isZero();
        List<JsonNode> read = new ArrayList<>();
        for (String line : consumer.output().split("\n")) {
            if (line.startsWith("{")) {
                read.add(JSON.readTree(line));
            }
        }
        assertThat(read).as(consumer.output()).noneMatch(line -> line.has("error"));
        JsonNode last = read.stream().filter(line -> id.equals(line.path("key").asText()))
                .reduce((first, second) -> second).orElseThrow(() -> new AssertionError(consumer.output()));
        assertThat(last.path("value").path("state").asText()).isEqualTo("RESOLVED");
        assertThat(last.path("value").path("service").asText()).isEqualTo("inference-gateway");
    }

    @Test
    @Timeout(120)
    void aTopicHalfInSingleObjectEncodingAndHalfInConfluentFramingIsReadWholeByTheProcessorAndByTail()
            throws Exception {
        String alerts = topics.alerts().name();
        Instant started = Instant.now().minusSeconds(60);
        Alert firing = alert(AlertStatus.FIRING, started, null);
        Alert resolved = alert(AlertStatus.RESOLVED, started, Instant.now());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientProperties(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            // before the move: a producer still on single-object encoding; after it: one on Confluent framing
            producer.send(new ProducerRecord<>(alerts, key(firing),
                    RunstreamSerdes.avro().serde(Alert.class).serializer().serialize(alerts, firing))).get();
            awaitIncidentState("OPEN");
            producer.send(new ProducerRecord<>(alerts, key(resolved),
                    topics.alerts().valueSerde().serializer().serialize(alerts, resolved))).get();
        }

        awaitIncidentState("RESOLVED");
        assertThat(CommittedRecords.read(kafka.clientProperties(), topics.deadLetters().name(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())).as("dead letters").isEmpty();

        List<JsonNode> tailed = new ArrayList<>();
        for (String line : tail("tail", "alerts", "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix",
                stack.stack.kafka().topicPrefix(), "--schema-registry", registry.url(), "--from-beginning",
                "--idle-timeout", "3s")) {
            tailed.add(JSON.readTree(line));
        }
        List<JsonNode> mixed = tailed.stream().filter(l -> "a1b2c3d4e5f60718".equals(l.path("key").asText()))
                .toList();
        assertThat(mixed).extracting(l -> l.path("value").path("status").asText())
                .containsExactly("FIRING", "RESOLVED");
        assertThat(tailed).noneMatch(l -> l.has("error"));
    }

    private void awaitIncidentState(String state) {
        IncidentApiClient api = stack.apiClient();
        await(state).atMost(Duration.ofSeconds(60)).until(() -> {
            List<JsonNode> incidents = api.list(Map.of("service", "format-migration"), 10);
            return !incidents.isEmpty() && state.equals(incidents.get(0).path("state").asText());
        });
    }

    private static Alert alert(AlertStatus status, Instant startsAt, Instant endsAt) {
        return Alert.newBuilder().setFingerprint("a1b2c3d4e5f60718").setStatus(status)
                .setLabels(Map.of("alertname", "FormatMigrationCheck", "service", "format-migration", "namespace",
                        "ml-prod", "severity", "warning"))
                .setAnnotations(Map.of("summary", "a check while the topic moves to Confluent framing")).setStartsAt(startsAt)
                .setEndsAt(endsAt).setSource(AlertSource.ALERTMANAGER).setReceivedAt(Instant.now()).build();
    }

    private static byte[] key(Alert alert) {
        return alert.getFingerprint().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> tail(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(new CommandLine(new RunstreamCli()).execute(args)).isZero();
        } finally {
            System.setOut(original);
        }
        return java.util.Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\n"))
                .filter(line -> line.startsWith("{")).toList();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("python did not finish: " + new String(output, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
