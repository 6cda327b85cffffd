package io.runstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertStatus;
import io.runstream.kafka.FreePorts;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;

/** Debian's Alertmanager 0.25, started on loopback, delivers to the connector through its webhook receiver. */
@WithKafka
class RealAlertmanagerIT {

    private ConnectorFixture fixture;
    private TopicCatalog catalog;
    private PeerProcess alertmanager;
    private URI alertmanagerUri;

    @BeforeEach
    void start(TestKafka kafka) {
        fixture = new ConnectorFixture(kafka.bootstrapServers(), kafka.topicPrefix(), ConnectorFixture.settings());
        catalog = new TopicCatalog(new TopicSettings(kafka.topicPrefix(), 1, (short) 1), RunstreamSerdes.avro());
        int port = FreePorts.pick();
        alertmanagerUri = URI.create("http://127.0.0.1:" + port);
        String config = """
                route:
                  receiver: runstream
                  group_by: [alertname, service]
                  group_wait: 0s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: runstream
                    webhook_configs:
                      - url: %s
                        send_resolved: true
                        http_config:
                          authorization:
                            type: Bearer
                            credentials: %s
                """.formatted(fixture.uri("/api/v1/alertmanager"), ConnectorFixture.ALERTMANAGER_TOKEN);
        alertmanager = PeerProcess.start("prometheus-alertmanager", config, List.of(
                "--config.file={dir}/config.yml", "--storage.path={dir}/data",
                "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address="),
                alertmanagerUri.resolve("/-/ready"));
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
        String labels = """
                {"alertname":"HighErrorRate","service":"checkout","namespace":"shop","severity":"critical"}""";

        postAlert(labels, startsAt, null);
        List<ConsumerRecord<String, Alert>> firing = awaitAlerts(1);
        postAlert(labels, startsAt, Instant.now().minusSeconds(1));
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

    /** POST /api/v2/alerts as Prometheus does it; endsAt in the past resolves the alert. */
    private void postAlert(String labels, Instant startsAt, Instant endsAt) throws Exception {
        String body = "[{\"labels\":" + labels + ",\"annotations\":{\"summary\":\"5xx above 5% for 5m\"},"
                + "\"startsAt\":\"" + startsAt + "\"," + (endsAt == null ? "" : "\"endsAt\":\"" + endsAt + "\",")
                + "\"generatorURL\":\"http://prometheus:9090/graph\"}]";
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(alertmanagerUri.resolve("/api/v2/alerts")).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private List<ConsumerRecord<String, Alert>> awaitAlerts(int count) {
        return Awaitility.await("at least " + count + " alert records from " + alertmanager)
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> fixture.readAll(catalog.alerts()), records -> records.size() >= count);
    }
}
