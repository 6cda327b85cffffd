package io.runstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runstream.avro.Incident;
import io.runstream.avro.IncidentState;
import io.runstream.avro.Severity;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicProvisioner;
import io.runstream.schemas.TopicSettings;
import io.runstream.testing.RequiredTool;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;

/**
 * The README's non-Java consumer, examples/python/runstream_consumer.py, run for real with Debian's python3-avro
 * and python3-confluent-kafka: it fingerprints every released schema exactly as the Java serde does and decodes
 * records from a real broker.
 */
@WithKafka
class PythonConsumerExampleIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("..", "examples", "python", "runstream_consumer.py");
    private static final Path SCHEMA_HISTORY = Path.of("..", "schemas", "src", "main", "resources",
            "schema-history");

    @BeforeAll
    static void pythonWithTheDebianPackages() throws Exception {
        boolean available = Files.isExecutable(PYTHON)
                && run(List.of(PYTHON.toString(), "-c", "import avro.io, confluent_kafka")).exitCode() == 0;
        RequiredTool.available(available, "/usr/bin/python3 with python3-avro and python3-confluent-kafka",
                "apt-get install python3-avro python3-confluent-kafka; .ci/run does");
    }

    @Test
    void fingerprintsEveryReleasedSchemaAsTheJavaSerdeDoes() throws Exception {
        Result result = run(List.of(PYTHON.toString(), SCRIPT.toString(), "--print-fingerprints"));
        assertThat(result.exitCode()).as(result.output()).isZero();
        JsonNode printed = JSON.readTree(result.output());

        List<Path> schemas;
        try (Stream<Path> files = Files.walk(SCHEMA_HISTORY)) {
            schemas = files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
        }
        assertThat(schemas).isNotEmpty();
        for (Path file : schemas) {
            Schema schema = new Schema.Parser().parse(Files.readString(file));
            String name = file.getParent().getFileName() + "/" + file.getFileName().toString().replace(".avsc", "");
            assertThat(printed.path(name).asText()).as(name)
                    .isEqualTo(String.format("%016x", SchemaNormalization.parsingFingerprint64(schema)));
        }
    }

    @Test
    void decodesRecordsFromTheBrokerAndReportsUndecodableOnes(TestKafka kafka) throws Exception {
        String prefix = kafka.uniqueId("python") + ".";
        TopicCatalog topics = new TopicCatalog(new TopicSettings(prefix, 1, (short) 1), RunstreamSerdes.avro());
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(topics.specs());
        }
        Instant opened = Instant.parse("2026-11-22T18:00:00Z");
        Incident incident = Incident.newBuilder().setId("INC-0123456789AB").setCorrelationKey("ml-prod/gateway")
                .setTitle("5xx above 5 %").setState(IncidentState.OPEN).setSeverity(Severity.P1)
                .setService("gateway").setNamespace("ml-prod").setLabels(Map.of("service", "gateway"))
                .setAlerts(List.of()).setErrorRate(0.12).setOpenedAt(opened).setLastSeenAt(opened)
                .setUpdatedAt(opened).build();
        String topic = topics.incidents().name();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientProperties(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, bytes("INC-0123456789AB"),
                    topics.incidents().valueSerde().serializer().serialize(topic, incident)));
            producer.send(new ProducerRecord<>(topic, bytes("junk"), bytes("not avro")));
            producer.flush();
        }

        Result result = run(List.of(PYTHON.toString(), SCRIPT.toString(), "--bootstrap-servers",
                kafka.bootstrapServers(), topic, "--max-records", "2", "--timeout", "60"));

        assertThat(result.exitCode()).as(result.output()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : result.output().split("\n")) {
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            }
        }
        assertThat(lines).as(result.output()).hasSize(2);
        JsonNode decoded = lines.get(0);
        assertThat(decoded.path("schema").asText()).isEqualTo("Incident/v3");
        assertThat(decoded.path("value").path("id").asText()).isEqualTo("INC-0123456789AB");
        assertThat(decoded.path("value").path("severity").asText()).isEqualTo("P1");
        assertThat(decoded.path("value").path("errorRate").asDouble()).isEqualTo(0.12);
        assertThat(lines.get(1).path("error").asText()).contains("not Avro single-object encoding");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
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
