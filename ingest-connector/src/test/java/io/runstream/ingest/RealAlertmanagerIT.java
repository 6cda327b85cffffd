package io.runstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertStatus;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;
import io.runstream.testing.peers.AlertmanagerPeer;

/** Debian's Alertmanager 0.25, started on loopback, delivers to the connector through its webhook receiver. */
@WithKafka
class RealAlertmanagerIT {

    private static final String SUMMARY = "5xx above 5% for 5m";

    private ConnectorFixture fixture;
    private TopicCatalog catalog;
    private AlertmanagerPeer alertmanager;

    @BeforeEach
    void start(TestKafka kafka, @TempDir Path directory) {
        fixture = new ConnectorFixture(kafka.bootstrapServers(), kafka.topicPrefix(), ConnectorFixture.settings());
        catalog = new TopicCatalog(new TopicSettings(kafka.topicPrefix(), 1, (short) 1), RunstreamSerdes.avro());
        alertmanager = AlertmanagerPeer.start(directory, AlertmanagerPeer.webhookConfig(
                fixture.uri("/api/v1/alertmanager"), ConnectorFixture.ALERTMANAGER_TOKEN));
    }

    @AfterEach
    void stop() {
        if (alertmanager != null) {
            alertmanager.close();
        }
        fixture.close();
    }

    @Test
    void firingThenResolvedAlertArriveAsAlertRecordsKeyedByFingerprint() throws Exception {
        Instant startsAt = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        Map<String, String> labels = Map.of("alertname", "HighErrorRate", "service", "checkout", "namespace", "shop",
                "severity", "critical");

        // as Prometheus posts it; an endsAt in the past resolves the alert
        alertmanager.post(labels, SUMMARY, startsAt, null);
        List<ConsumerRecord<String, Alert>> firing = awaitAlerts(1);
        alertmanager.post(labels, SUMMARY, startsAt, Instant.now().minusSeconds(1));
        List<ConsumerRecord<String, Alert>> both = awaitAlerts(2);

        assertThat(firing.get(0).value().getStatus()).isEqualTo(AlertStatus.FIRING);
        assertThat(firing.get(0).value().getEndsAt()).as("a firing alert has no end").isNull();
        assertThat(firing.get(0).value().getStartsAt()).isEqualTo(startsAt);
        assertThat(firing.get(0).value().getLabels()).containsEntry("service", "checkout");
        ConsumerRecord<String, Alert> resolved = both.get(both.size() - 1);
        assertThat(resolved.value().getStatus()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(resolved.value().getEndsAt()).isNotNull().isAfter(startsAt);
        assertThat(both).extracting(ConsumerRecord::key).containsOnly(firing.get(0).value().getFingerprint());
        assertThat(fixture.get("/metrics").body())
                .doesNotContain("runstream_ingest_rejections_total{endpoint=\"alertmanager\"");
    }

    private List<ConsumerRecord<String, Alert>> awaitAlerts(int count) {
        return Awaitility.await("at least " + count + " alert records from " + alertmanager)
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> fixture.readAll(catalog.alerts()), records -> records.size() >= count);
    }
}
