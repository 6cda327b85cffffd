package io.runstream.ingest;

import static io.runstream.ingest.IngestEndpointsIT.expect;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.MetricKind;
import io.runstream.avro.MetricSample;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;

@WithKafka
class RemoteWriteIT {

    private static final long T = Instant.parse("2026-11-22T18:40:00Z").toEpochMilli();

    private ConnectorFixture fixture;
    private TopicCatalog catalog;

    @BeforeEach
    void startConnector(TestKafka kafka) {
        fixture = new ConnectorFixture(kafka.bootstrapServers(), kafka.topicPrefix(), ConnectorFixture.settings());
        catalog = new TopicCatalog(new TopicSettings(kafka.topicPrefix(), 1, (short) 1), RunstreamSerdes.avro());
    }

    @AfterEach
    void stopConnector() {
        fixture.close();
    }

    @Test
    void remoteWriteBecomesOneMetricSamplePerSampleKeyedByServiceAnd204() throws Exception {
        HttpResponse<String> response = write(RemoteWriteBodies.snappy(RemoteWriteBodies.checkoutScrape(T)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
        List<ConsumerRecord<String, MetricSample>> records = fixture.readAll(catalog.metricSamples());
        assertThat(records).extracting(ConsumerRecord::key).containsExactly("checkout", "checkout-api", "unknown");
        assertThat(records).extracting(r -> r.value().getKind())
                .containsExactly(MetricKind.COUNTER, MetricKind.HISTOGRAM_BUCKET, MetricKind.GAUGE);
        assertThat(records.get(1).value().getLabels()).containsEntry("le", "0.5");
        assertThat(fixture.get("/metrics").body()).contains("runstream_ingest_samples_total{service=\"ingest-connector\"} 3.0")
                .contains("runstream_ingest_requests_total{endpoint=\"remote_write\",service=\"ingest-connector\",status=\"204\"}");
    }

    @Test
    void everyBadRemoteWriteBodyGetsItsOwnClientErrorAndProducesNothing() throws Exception {
        byte[] good = RemoteWriteBodies.snappy(RemoteWriteBodies.checkoutScrape(T));
        SoftAssertions softly = new SoftAssertions();
        expect(softly, write(new byte[] {1, 2, 3, 4, 5}), 400, "invalid_snappy", null);
        expect(softly, write(RemoteWriteBodies.snappy(bytes("{\"timeseries\": [] } is JSON, not protobuf"))), 400,
                "invalid_protobuf", null);
        expect(softly, write(new byte[0]), 400, "empty_body", null);
        expect(softly, write(RemoteWriteBodies.snappy(RemoteWriteBodies.checkoutScrape(0))), 400, "invalid_timestamp",
                "timeseries[0].samples[0].timestamp");
        expect(softly, fixture.post("/api/v1/write", "application/json", good, "Content-Encoding", "snappy"), 415,
                "unsupported_media_type", "Content-Type");
        expect(softly, fixture.post("/api/v1/write", "application/x-protobuf;proto=io.prometheus.write.v2.Request",
                good, "Content-Encoding", "snappy"), 415, "unsupported_media_type", "Content-Type");
        expect(softly, fixture.post("/api/v1/write", "application/x-protobuf", good), 415, "unsupported_encoding",
                "Content-Encoding");
        expect(softly, fixture.post("/api/v1/write", "application/x-protobuf", good, "Content-Encoding", "gzip"), 415,
                "unsupported_encoding", "Content-Encoding");
        RawHttp.Answer tooLarge = RawHttp.headersOnly(fixture.uri("/api/v1/write"), "Content-Type: application/x-protobuf",
                "Content-Encoding: snappy", "Content-Length: " + 70 * 1024);
        expect(softly, tooLarge.status(), tooLarge.body(), 413, "body_too_large", null);
        softly.assertAll();

        assertThat(fixture.readAll(catalog.metricSamples())).isEmpty();
        assertThat(fixture.get("/metrics").body())
                .contains("runstream_ingest_rejections_total{endpoint=\"remote_write\",reason=\"invalid_snappy\",service=\"ingest-connector\"} 1.0")
                .contains("runstream_ingest_rejections_total{endpoint=\"remote_write\",reason=\"unsupported_encoding\",service=\"ingest-connector\"} 2.0");
    }

    private HttpResponse<String> write(byte[] body) throws Exception {
        return fixture.post("/api/v1/write", "application/x-protobuf", body, "Content-Encoding", "snappy",
                "X-Prometheus-Remote-Write-Version", "0.1.0");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
