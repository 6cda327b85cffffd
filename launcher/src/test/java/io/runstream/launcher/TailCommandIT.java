package io.runstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;
import picocli.CommandLine;

/** {@code runstream tail} against a real broker: Avro decoded to plain JSON lines, bad bytes shown, not dropped. */
@WithKafka
class TailCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void printsDecodedRecordsAsJsonLinesAndUndecodableOnesWithTheirError(TestKafka kafka) throws Exception {
        String prefix = kafka.uniqueId("tail") + ".";
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
        byte[] encoded = topics.incidents().valueSerde().serializer().serialize(topics.incidents().name(), incident);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientProperties(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.incidents().name(), "INC-0123456789AB".getBytes(
                    StandardCharsets.UTF_8), encoded));
            producer.send(new ProducerRecord<>(topics.incidents().name(), "junk".getBytes(StandardCharsets.UTF_8),
                    "not avro".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }

        List<JsonNode> lines = tail("incidents", "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix",
                prefix, "--from-beginning", "--max", "2", "--idle-timeout", "20s");

        assertThat(lines).hasSize(2);
        JsonNode value = lines.get(0).path("value");
        assertThat(lines.get(0).path("key").asText()).isEqualTo("INC-0123456789AB");
        assertThat(value.path("severity").asText()).isEqualTo("P1");
        assertThat(value.path("openedAt").asText()).isEqualTo("2026-11-22T18:00:00Z");
        assertThat(value.path("errorRate").asDouble()).isEqualTo(0.12);
        assertThat(value.path("labels").path("service").asText()).isEqualTo("gateway");
        assertThat(lines.get(1).path("error").asText()).startsWith("not decodable");
        assertThat(lines.get(1).path("valueBase64").asText()).isNotBlank();
    }

    @Test
    void refusesAnUnknownTopicWithTheListOfKnownOnes() {
        assertThat(new CommandLine(new RunstreamCli()).execute("tail", "--bootstrap-servers", "127.0.0.1:9",
                "no-such-topic")).isEqualTo(2);
    }

    private static List<JsonNode> tail(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            String[] all = new String[args.length + 1];
            all[0] = "tail";
            System.arraycopy(args, 0, all, 1, args.length);
            assertThat(new CommandLine(new RunstreamCli()).execute(all)).isZero();
        } finally {
            System.setOut(original);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }
}
