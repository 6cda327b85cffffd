package io.runstream.schemas;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertSource;
import io.runstream.avro.AlertStatus;
import io.runstream.avro.MetricSample;

class BadBytesTest {

    private final RunstreamSerdes serdes = RunstreamSerdes.avro();
    private final Deserializer<MetricSample> samples = serdes.serde(MetricSample.class).deserializer();

    @Test
    void rejectsBytesThatAreNotSingleObjectEncoded() {
        byte[] json = "{\"name\":\"http_requests_total\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThatThrownBy(() -> samples.deserialize("runstream.metric-samples", json))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("MetricSample")
                .hasMessageContaining("'runstream.metric-samples'")
                .hasMessageContaining("not Avro single-object encoding");
    }

    @Test
    void saysThatConfluentFramedBytesNeedTheRegistryFormat() {
        byte[] confluent = {0, 0, 0, 0, 42, 2, 4, 6};

        assertThatThrownBy(() -> samples.deserialize("runstream.metric-samples", confluent))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Confluent framing (schema id 42)")
                .hasMessageContaining("schemas.format: confluent");
    }

    @Test
    void rejectsEmptyBytes() {
        assertThatThrownBy(() -> samples.deserialize("runstream.metric-samples", new byte[0]))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'runstream.metric-samples'");
    }

    @Test
    void rejectsAnotherRecordTypeByItsSchemaFingerprint() {
        byte[] alertBytes = serdes.serde(Alert.class).serializer().serialize("runstream.alerts", alert());

        assertThatThrownBy(() -> samples.deserialize("runstream.metric-samples", alertBytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'runstream.metric-samples'")
                .hasMessageContaining("schema this reader does not know");
    }

    @Test
    void rejectsATruncatedBody() {
        byte[] alertBytes = serdes.serde(Alert.class).serializer().serialize("runstream.alerts", alert());
        byte[] truncated = Arrays.copyOf(alertBytes, alertBytes.length / 2);

        assertThatThrownBy(() -> serdes.serde(Alert.class).deserializer().deserialize("runstream.alerts", truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Alert")
                .hasMessageContaining("corrupt or truncated");
    }

    @Test
    void refusesToWriteARecordMissingARequiredField() {
        Alert incomplete = alert();
        incomplete.setFingerprint(null);

        assertThatThrownBy(() -> serdes.serde(Alert.class).serializer().serialize("runstream.alerts", incomplete))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Cannot write Alert to topic 'runstream.alerts'");
    }

    private static Alert alert() {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        return Alert.newBuilder()
                .setFingerprint("6f1c2a9e8d3b4c5a")
                .setStatus(AlertStatus.FIRING)
                .setLabels(Map.of("alertname", "HighErrorRate", "service", "inference-gateway",
                        "namespace", "ml-prod", "severity", "critical"))
                .setAnnotations(Map.of("summary", "5xx ratio 12.0 % over 5m"))
                .setStartsAt(now)
                .setSource(AlertSource.ALERTMANAGER)
                .setReceivedAt(now)
                .build();
    }
}
