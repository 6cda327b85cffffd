package io.runstream.ingest.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.xerial.snappy.Snappy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.runstream.avro.Alert;
import io.runstream.avro.DriftScore;
import io.runstream.ingest.IngestSettings;
import io.runstream.ingest.parse.AlertmanagerWebhookParser;
import io.runstream.ingest.parse.DriftReportParser;
import io.runstream.ingest.parse.RejectedInput;
import io.runstream.ingest.parse.StrictJson;
import io.runstream.ingest.remotewrite.MetricKinds;
import io.runstream.ingest.remotewrite.RemoteWriteParser;

/**
 * Coverage-guided fuzzing (Jazzer) of the three parsers that read what strangers send: whatever the bytes, a
 * parser returns a value or throws {@link RejectedInput} with a 4xx status and a reason, never anything else (a
 * RuntimeException would be a 500, an Error a dead request thread), and what it returns is bounded by what came
 * in. The surefire run replays the seeds and past findings under {@code src/test/resources/.../ParserFuzzTestInputs};
 * the {@code fuzz} executions of this module's pom fuzz each target for a few seconds with {@code JAZZER_FUZZ=1},
 * in a JVM with a small heap, so an input that makes a parser allocate without bound fails too.
 */
class ParserFuzzTest {

    /** The connector's defaults: a fuzzer finding under other limits would not be a finding in production. */
    private static final StrictJson JSON = new StrictJson(32);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T18:00:00Z"), ZoneOffset.UTC);
    private static final AlertmanagerWebhookParser WEBHOOK = new AlertmanagerWebhookParser(JSON, CLOCK);
    private static final DriftReportParser DRIFT = new DriftReportParser(JSON);
    private static final int MAX_DECODED_BYTES = 1024 * 1024;
    private static final RemoteWriteParser REMOTE_WRITE = new RemoteWriteParser(new IngestSettings.RemoteWrite(
            "service", List.of("job"), "unknown", MAX_DECODED_BYTES), new MetricKinds(1000));

    @FuzzTest(maxDuration = "10s")
    void alertmanagerWebhook(byte[] body) {
        try {
            List<Alert> alerts = WEBHOOK.parse(body);
            // every alert is at least {"status":..,"labels":{},"fingerprint":..} in the body
            assertThat(alerts.size()).isLessThanOrEqualTo(body.length / 20 + 1);
        } catch (RejectedInput refused) {
            assertClientError(refused);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void driftReport(byte[] body) {
        try {
            DriftScore score = DRIFT.parse(body);
            assertThat(score.getModel()).isNotBlank();
            assertThat(score.getDriftShare()).isBetween(0.0, 1.0);
        } catch (RejectedInput refused) {
            assertClientError(refused);
        }
    }

    /**
     * The first byte decides whether the rest is sent as it is (exercising the snappy layer) or snappy-compressed
     * first (exercising the protobuf layer behind it, which random bytes would seldom reach).
     */
    @FuzzTest(maxDuration = "10s")
    void remoteWrite(FuzzedDataProvider data) {
        boolean compress = data.consumeBoolean();
        byte[] payload = data.consumeRemainingAsBytes();
        byte[] body = compress ? snappy(payload) : payload;
        try {
            RemoteWriteParser.Parsed parsed = REMOTE_WRITE.parse(body);
            // a sample is at least a tag and a double in the decoded bytes
            assertThat(parsed.samples().size() + parsed.staleMarkers()).isLessThanOrEqualTo(MAX_DECODED_BYTES / 9);
        } catch (RejectedInput refused) {
            assertClientError(refused);
        }
    }

    private static void assertClientError(RejectedInput refused) {
        assertThat(refused.status()).isBetween(400, 499);
        assertThat(refused.reason()).isNotBlank();
        assertThat(refused.getMessage()).isNotBlank();
    }

    private static byte[] snappy(byte[] bytes) {
        try {
            return Snappy.compress(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
