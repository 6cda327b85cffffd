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

import io.runstream.avro.ActionMode;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionTarget;
import io.runstream.avro.ActionType;
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

        List<JsonNode> lines = tail("tail", "incidents", "--bootstrap-servers", kafka.bootstrapServers(),
                "--topic-prefix", prefix, "--from-beginning", "--max", "2", "--idle-timeout", "20s");

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
    void printsOnlyTheLocalInboxDeliveriesOfActionResultsOneLineEach(TestKafka kafka) throws Exception {
        // given: a page delivered to the local inbox (its text trying to colour the terminal), a message really
        // sent, bytes that are no result, and a ticket delivered to the inbox
        String prefix = kafka.uniqueId("tail-inbox") + ".";
        TopicCatalog topics = new TopicCatalog(new TopicSettings(prefix, 1, (short) 1), RunstreamSerdes.avro());
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(topics.specs());
        }
        Instant at = Instant.parse("2026-12-06T04:10:00Z");
        var results = topics.actionResults();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientProperties(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ActionResult result : List.of(
                    result("INC-0123456789AB", ActionType.PAGE, "pagerduty", "on-call", at, Map.of("delivery", "inbox",
                            "channel", "pagerduty/on-call", "event", "trigger",
                            "text", "P1 inference-gateway: 12 % of requests fail\u001b[31m with 5xx")),
                    result("INC-0123456789AB", ActionType.NOTIFY, "slack", "ml-ops-oncall", at.plusSeconds(1),
                            Map.of("message", "opened: 5xx", "channel", "slack ml-ops-oncall")),
                    result("INC-00000000FFFF", ActionType.TICKET, "ticket", "ml-platform", at.plusSeconds(2),
                            Map.of("delivery", "inbox", "channel", "ticket/ml-platform", "event", "opened",
                                    "text", "P3 feature-store: drift 0.41")))) {
                producer.send(new ProducerRecord<>(results.name(), result.getCommandId().getBytes(
                        StandardCharsets.UTF_8), results.valueSerde().serializer().serialize(results.name(), result)));
            }
            producer.send(new ProducerRecord<>(results.name(), "junk".getBytes(StandardCharsets.UTF_8),
                    "not avro".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }

        // when
        List<String> lines = output("tail", "--inbox", "--bootstrap-servers", kafka.bootstrapServers(),
                "--topic-prefix", prefix, "--from-beginning", "--max", "2", "--idle-timeout", "20s");

        // then: the two deliveries, readable, without the escape character
        assertThat(lines).containsExactly(
                "2026-12-06T04:10:00Z INC-0123456789AB pagerduty/on-call trigger: P1 inference-gateway: 12 % of "
                        + "requests fail [31m with 5xx",
                "2026-12-06T04:10:02Z INC-00000000FFFF ticket/ml-platform opened: P3 feature-store: drift 0.41");
    }

    @Test
    void inboxModeTakesNoTopicAndTheOtherModeNeedsOne() {
        assertThat(new CommandLine(new RunstreamCli()).execute("tail", "--inbox", "--bootstrap-servers",
                "127.0.0.1:9", "incidents")).isEqualTo(2);
        assertThat(new CommandLine(new RunstreamCli()).execute("tail", "--bootstrap-servers", "127.0.0.1:9"))
                .isEqualTo(2);
    }

    private static ActionResult result(String incidentId, ActionType type, String kind, String name, Instant at,
            Map<String, String> after) {
        return ActionResult.newBuilder().setCommandId(incidentId + "/escalation/" + name).setIncidentId(incidentId)
                .setType(type).setTarget(ActionTarget.newBuilder().setKind(kind).setName(name).build())
                .setMode(ActionMode.ENFORCE).setOutcome(ActionOutcome.SUCCEEDED).setMessage("done")
                .setBefore(Map.of()).setAfter(after).setAttempts(1).setWorker("worker-1").setStartedAt(at)
                .setFinishedAt(at).build();
    }

    @Test
    void refusesAnUnknownTopicWithTheListOfKnownOnes() {
        assertThat(new CommandLine(new RunstreamCli()).execute("tail", "--bootstrap-servers", "127.0.0.1:9",
                "no-such-topic")).isEqualTo(2);
    }

    private static List<JsonNode> tail(String... args) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output(args)) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    /** The command's non-blank output lines; it must exit 0. */
    private static List<String> output(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(new CommandLine(new RunstreamCli()).execute(args)).isZero();
        } finally {
            System.setOut(original);
        }
        return java.util.Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\n"))
                .filter(line -> !line.isBlank()).toList();
    }
}
