package io.runstream.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertSource;
import io.runstream.avro.AlertStatus;
import io.runstream.avro.IncidentEvent;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;
import io.runstream.testing.TestSchemaRegistry;
import io.runstream.testing.WithSchemaRegistry;

/** The Confluent wire format against a real registry (Apicurio Registry's Confluent-compatible API). */
@WithSchemaRegistry
class ConfluentFormatIT {

    private TestSchemaRegistry registry;
    private SchemaRegistryClient client;
    private TopicCatalog catalog;
    private RunstreamSerdes serdes;
    private String alerts;

    @BeforeEach
    void prepareTopics(TestSchemaRegistry registry) {
        this.registry = registry;
        client = new SchemaRegistryClient(SchemaSettings.confluent(registry.url()).registry());
        serdes = RunstreamSerdes.from(SchemaSettings.confluent(registry.url()));
        catalog = new TopicCatalog(new TopicSettings(uniquePrefix(), 1, (short) 1), serdes);
        serdes.prepare(catalog);
        alerts = catalog.alerts().name();
    }

    @Test
    void registersEachTopicUnderTopicValueWithBackwardCompatibility() {
        for (var topic : catalog.valueSchemas().entrySet()) {
            String subject = topic.getKey() + "-value";
            assertThat(client.lookup(subject, topic.getValue())).as(subject).isPresent();
            assertThat(client.compatibility(subject)).as(subject).isEqualTo("BACKWARD");
        }
        assertThat(client.subjectExists(catalog.deadLetters().name() + "-value")).isFalse();
    }

    @Test
    void writesMagicByteSchemaIdAndAvroBinaryThatAForeignReaderDecodes() throws IOException {
        byte[] bytes = catalog.alerts().valueSerde().serializer().serialize(alerts, alert());

        assertThat(bytes[0]).isZero();
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertThat(id).isEqualTo(client.lookup(alerts + "-value", Alert.getClassSchema()).getAsInt());
        // what a Confluent consumer does: the writer schema by id from the registry, then plain Avro binary
        Schema writer = client.schemaById(id);
        GenericRecord read = new GenericDatumReader<GenericRecord>(writer).read(null,
                DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
        assertThat(read.get("fingerprint").toString()).isEqualTo("6f1c2a9e8d3b4c5a");
    }

    @Test
    void readsATopicHalfInSingleObjectEncodingAndHalfInConfluentFraming() {
        Serde<Alert> confluent = catalog.alerts().valueSerde();
        byte[] before = RunstreamSerdes.avro().serde(Alert.class).serializer().serialize(alerts, alert());
        byte[] after = confluent.serializer().serialize(alerts, alert());

        assertThat(before[0]).isEqualTo((byte) 0xC3);
        assertThat(after[0]).isZero();
        assertThat(confluent.deserializer().deserialize(alerts, before)).isEqualTo(alert());
        assertThat(confluent.deserializer().deserialize(alerts, after)).isEqualTo(alert());
    }

    @Test
    void aReaderBuiltLaterResolvesTheIdFromTheRegistry() {
        byte[] bytes = catalog.alerts().valueSerde().serializer().serialize(alerts, alert());
        RunstreamSerdes fresh = RunstreamSerdes.from(SchemaSettings.confluent(registry.url()));

        assertThat(fresh.serde(Alert.class).deserializer().deserialize(alerts, bytes)).isEqualTo(alert());
    }

    @Test
    void singleObjectWithARegistryUrlWritesSingleObjectAndReadsBoth() {
        RunstreamSerdes reading = RunstreamSerdes.from(new SchemaSettings(SchemaSettings.SINGLE_OBJECT,
                SchemaSettings.confluent(registry.url()).registry()));
        TopicCatalog same = new TopicCatalog(catalog.settings(), reading);
        reading.prepare(same);
        byte[] confluent = catalog.alerts().valueSerde().serializer().serialize(alerts, alert());

        assertThat(same.alerts().valueSerde().serializer().serialize(alerts, alert())[0]).isEqualTo((byte) 0xC3);
        assertThat(same.alerts().valueSerde().deserializer().deserialize(alerts, confluent)).isEqualTo(alert());
    }

    @Test
    void keepsSingleObjectEncodingOnTopicsItDidNotRegister() {
        // state-store changelogs and repartition topics: internal, restored without a registry
        byte[] bytes = catalog.alerts().valueSerde().serializer().serialize("app-dedup-store-changelog", alert());

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
    }

    @Test
    void refusesAnUnknownMagicByte() {
        byte[] bytes = {0x07, 0, 0, 0, 1, 2, 3};

        assertThatThrownBy(() -> catalog.alerts().valueSerde().deserializer().deserialize(alerts, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'" + alerts + "'")
                .hasMessageContaining("unknown magic byte 0x07");
    }

    @Test
    void refusesAnUnknownSchemaId() {
        byte[] bytes = {0, 0x3b, (byte) 0x9a, (byte) 0xc9, (byte) 0xff, 2, 4};

        assertThatThrownBy(() -> catalog.alerts().valueSerde().deserializer().deserialize(alerts, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id 999999999 is unknown to the schema registry " + registry.url());
    }

    @Test
    void refusesAnotherRecordTypesSchemaId() {
        byte[] event = serdes.serde(IncidentEvent.class).serializer().serialize(catalog.incidentEvents().name(),
                io.runstream.avro.IncidentEvent.newBuilder().setIncidentId("INC-0123456789AB")
                        .setEventId("e1").setType(io.runstream.avro.IncidentEventType.OPENED)
                        .setAt(Instant.parse("2026-11-22T10:00:00Z")).setMessage("opened").build());

        assertThatThrownBy(() -> catalog.alerts().valueSerde().deserializer().deserialize(alerts, event))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("io.runstream.avro.IncidentEvent, another record type");
    }

    @Test
    void refusesAConfluentFramingCutShort() {
        assertThatThrownBy(() -> catalog.alerts().valueSerde().deserializer().deserialize(alerts, new byte[] {0, 0}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cut short");
    }

    @Test
    void withoutAutoRegistrationFindsRegisteredSchemasAndWritesTheirIds() {
        RunstreamSerdes lookingUp = RunstreamSerdes.from(withoutAutoRegistration());
        TopicCatalog same = new TopicCatalog(catalog.settings(), lookingUp);
        lookingUp.prepare(same);

        byte[] bytes = same.alerts().valueSerde().serializer().serialize(alerts, alert());
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt())
                .isEqualTo(client.lookup(alerts + "-value", Alert.getClassSchema()).getAsInt());
    }

    @Test
    void withoutAutoRegistrationAStartFailsNamingTheMissingSubject() {
        RunstreamSerdes lookingUp = RunstreamSerdes.from(withoutAutoRegistration());
        TopicCatalog fresh = new TopicCatalog(new TopicSettings(uniquePrefix(), 1, (short) 1), lookingUp);

        assertThatThrownBy(() -> lookingUp.prepare(fresh))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("subject " + fresh.alerts().name() + "-value")
                .hasMessageContaining("autoRegister is false");
    }

    @Test
    void aRegistryThatIsDownFailsTheStartNamingIt() throws IOException {
        String down;
        try (ServerSocket socket = new ServerSocket(0)) {
            down = "http://127.0.0.1:" + socket.getLocalPort() + "/apis/ccompat/v7";
        }
        RunstreamSerdes unreachable = RunstreamSerdes.from(SchemaSettings.confluent(down));

        assertThatThrownBy(() -> unreachable.prepare(new TopicCatalog(catalog.settings(), unreachable)))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("schema registry " + down + " unreachable")
                .hasMessageContaining(alerts + "-value")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).unreachable()).isTrue());
    }

    @Test
    void theRegistryRefusesASchemaThatBreaksBackwardCompatibility() {
        Schema incompatible = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Alert\",\"namespace\":"
                + "\"io.runstream.avro\",\"fields\":[{\"name\":\"required\",\"type\":\"string\"}]}");

        assertThat(client.isCompatibleWithLatest(alerts + "-value", incompatible)).isFalse();
        assertThatThrownBy(() -> client.register(alerts + "-value", incompatible))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("subject " + alerts + "-value")
                .hasMessageContaining("HTTP 409");
    }

    private SchemaSettings withoutAutoRegistration() {
        return new SchemaSettings(SchemaSettings.CONFLUENT, new SchemaSettings.Registry(registry.url(), false, null,
                null, null, null, null, null, Duration.ofSeconds(5)));
    }

    private static String uniquePrefix() {
        return "cf-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    }

    private static Alert alert() {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        return Alert.newBuilder().setFingerprint("6f1c2a9e8d3b4c5a").setStatus(AlertStatus.FIRING)
                .setLabels(Map.of("alertname", "HighErrorRate", "service", "inference-gateway",
                        "namespace", "ml-prod", "severity", "critical"))
                .setAnnotations(Map.of("summary", "5xx ratio 12.0 % over 5m")).setStartsAt(now)
                .setSource(AlertSource.ALERTMANAGER).setReceivedAt(now).build();
    }
}
