package io.runstream.ingest.remotewrite;

import static io.runstream.ingest.RemoteWriteBodies.metadata;
import static io.runstream.ingest.RemoteWriteBodies.series;
import static io.runstream.ingest.RemoteWriteBodies.snappy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.runstream.avro.MetricKind;
import io.runstream.avro.MetricSample;
import io.runstream.ingest.IngestSettings;
import io.runstream.ingest.RemoteWriteBodies;
import io.runstream.ingest.kafka.RecordPublisher.Keyed;
import io.runstream.ingest.parse.RejectedInput;
import io.runstream.ingest.remotewrite.proto.RemoteWrite.MetricMetadata.MetricType;
import io.runstream.ingest.remotewrite.proto.RemoteWrite.WriteRequest;

class RemoteWriteParserTest {

    private static final long T = Instant.parse("2026-11-22T18:40:00Z").toEpochMilli();

    private final MetricKinds kinds = new MetricKinds(1000);
    private final RemoteWriteParser parser = new RemoteWriteParser(
            new IngestSettings.RemoteWrite("service", List.of("job"), "unknown", 1024 * 1024), kinds);

    @Test
    void keysEachSampleByServiceLabelThenFallbackLabelThenDefault() throws Exception {
        List<Keyed<MetricSample>> samples = parser.parse(snappy(RemoteWriteBodies.checkoutScrape(T))).samples();

        assertThat(samples).extracting(Keyed::key).containsExactly("checkout", "checkout-api", "unknown");
        MetricSample counter = samples.get(0).value();
        assertThat(counter.getName()).isEqualTo("http_requests_total");
        assertThat(counter.getLabels()).containsEntry("status", "500").doesNotContainKey("__name__");
        assertThat(counter.getValue()).isEqualTo(1027.0);
        assertThat(counter.getTimestamp()).isEqualTo(Instant.ofEpochMilli(T));
        assertThat(samples).extracting(s -> s.value().getKind())
                .containsExactly(MetricKind.COUNTER, MetricKind.HISTOGRAM_BUCKET, MetricKind.GAUGE);
    }

    @Test
    void metadataFromAnEarlierRequestDecidesTheKindOverTheSuffix() throws Exception {
        parser.parse(snappy(WriteRequest.newBuilder()
                .addMetadata(metadata("http_request_duration_seconds", MetricType.HISTOGRAM))
                .addMetadata(metadata("queue_depth_total", MetricType.GAUGE)).build()));

        List<Keyed<MetricSample>> samples = parser.parse(snappy(WriteRequest.newBuilder()
                .addTimeseries(series(12.5, T, "__name__", "http_request_duration_seconds_sum", "service", "checkout"))
                .addTimeseries(series(40, T, "__name__", "http_request_duration_seconds_count", "service", "checkout"))
                .addTimeseries(series(7, T, "__name__", "queue_depth_total", "service", "checkout"))
                .build())).samples();

        assertThat(samples).extracting(s -> s.value().getKind())
                .containsExactly(MetricKind.HISTOGRAM_SUM, MetricKind.HISTOGRAM_COUNT, MetricKind.GAUGE);
    }

    @Test
    void dropsStaleMarkersButKeepsOtherNaNAndInfinity() throws Exception {
        double staleMarker = Double.longBitsToDouble(RemoteWriteParser.STALE_NAN_BITS);
        RemoteWriteParser.Parsed parsed = parser.parse(snappy(WriteRequest.newBuilder()
                .addTimeseries(series(staleMarker, T, "__name__", "up", "service", "checkout"))
                .addTimeseries(series(Double.NaN, T, "__name__", "error_ratio", "service", "checkout"))
                .addTimeseries(series(Double.POSITIVE_INFINITY, T, "__name__", "latency_p99", "service", "checkout"))
                .build()));

        assertThat(parsed.staleMarkers()).isEqualTo(1);
        assertThat(parsed.samples()).extracting(s -> s.value().getName()).containsExactly("error_ratio", "latency_p99");
    }

    @Test
    void refusesBodiesThatAreNotSnappyOrNotAWriteRequest() {
        assertRejected(new byte[] {'{', '}'}, 400, "invalid_snappy", null);
        assertRejected(snappy("{\"alerts\": []} not protobuf at all".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                400, "invalid_protobuf", null);
        // A snappy header promising 32 GiB once decompressed, with almost nothing behind it.
        assertRejected(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x7f, 0, 0}, 413,
                "decoded_too_large", null);
        assertRejected(snappy(new byte[0]), 200, null, null);
    }

    @Test
    void refusesSeriesWithoutNameOrWithoutTimestampNamingTheField() {
        assertRejected(snappy(WriteRequest.newBuilder()
                .addTimeseries(series(1, T, "__name__", "up", "service", "checkout"))
                .addTimeseries(series(1, T, "service", "checkout")).build()),
                400, "missing_field", "timeseries[1].labels.__name__");
        assertRejected(snappy(WriteRequest.newBuilder()
                .addTimeseries(series(1, 0, "__name__", "up", "service", "checkout")).build()),
                400, "invalid_timestamp", "timeseries[0].samples[0].timestamp");
        assertRejected(snappy(WriteRequest.newBuilder()
                .addTimeseries(series(1, T, "__name__", "up", "", "checkout")).build()),
                400, "invalid_label", "timeseries[0].labels[1].name");
    }

    @Test
    void refusesProtobufNestedDeeperThanAWriteRequestCanBe() {
        // 10,000 nested groups of an unknown field: skipping them recurses, so depth is what a hostile body uses.
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 10_000; i++) {
            body.write((9 << 3) | 3); // field 9, start group
        }
        for (int i = 0; i < 10_000; i++) {
            body.write((9 << 3) | 4); // field 9, end group
        }

        assertRejected(snappy(body.toByteArray()), 400, "invalid_protobuf", null);
    }

    /** status 200 means: must be accepted. */
    private void assertRejected(byte[] body, int status, String reason, String field) {
        if (status == 200) {
            assertThat(catchRejection(body)).isNull();
            return;
        }
        assertThatThrownBy(() -> parser.parse(body)).isInstanceOfSatisfying(RejectedInput.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.field()).isEqualTo(field);
        });
    }

    private RejectedInput catchRejection(byte[] body) {
        try {
            parser.parse(body);
            return null;
        } catch (RejectedInput e) {
            return e;
        }
    }
}
