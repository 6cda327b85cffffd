package io.runstream.processor.detection;

import static io.runstream.processor.detection.DetectionFixture.SERVICE;
import static io.runstream.processor.detection.DetectionFixture.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.runstream.avro.Alert;
import io.runstream.avro.ServiceHealth;
import io.runstream.processor.rules.RulesFile;

/** Samples arrive out of order (remote_write batches, retries): up to the 30 s grace they count, later they do not. */
class LateSampleTest {

    private static final double OK_PER_SCRAPE = 88 * 15;
    private static final double FAILED_PER_SCRAPE = 12 * 15;

    @Test
    void countsLateSampleInsideGraceAndDropsLaterOne() {
        Run inOrder = run(false);
        Run reordered = run(true);

        // The 5xx sample of 105 s, delivered after the 200 series had reached 135 s (30 s late, at the grace),
        // still counted: the same alerts and health as in order. The 60 s late one was dropped and counted.
        assertThat(reordered.alerts).isEqualTo(inOrder.alerts).isNotEmpty();
        assertThat(reordered.health).isEqualTo(inOrder.health);
        assertThat(reordered.lateDropped).isEqualTo(1);
        assertThat(inOrder.lateDropped).isZero();
        assertThat(reordered.processed).isEqualTo(inOrder.processed + 1);
    }

    private record Run(List<Alert> alerts, ServiceHealth health, double lateDropped, double processed) {
    }

    private static Run run(boolean reorder) {
        try (DetectionFixture detection = new DetectionFixture(RulesFile.defaults())) {
            for (long second = 0; second <= 600; second += 15) {
                double ok = 100_000 + OK_PER_SCRAPE * second / 15;
                double failed = 5_000 + FAILED_PER_SCRAPE * second / 15;
                detection.counter("http_requests_total", Map.of("status", "200"), ok, at(second));
                if (!reorder || second != 105) {
                    detection.counter("http_requests_total", Map.of("status", "500"), failed, at(second));
                }
                if (reorder && second == 135) {
                    detection.counter("http_requests_total", Map.of("status", "500"),
                            5_000 + FAILED_PER_SCRAPE * 105 / 15, at(105));
                }
                if (reorder && second == 300) {
                    // 60 s behind the service's newest sample: past the grace. Had it counted, the 5xx counter
                    // would look reset and the ratio would jump.
                    detection.counter("http_requests_total", Map.of("status", "500"), 0, at(240));
                }
            }
            return new Run(detection.alerts(), detection.health(SERVICE),
                    detection.metrics.lateSamplesDropped(SERVICE), detection.metrics.samplesProcessed());
        }
    }
}
