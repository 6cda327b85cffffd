package io.runstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.Alert;
import io.runstream.kafka.EmbeddedKafkaBroker;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;

/**
 * With the broker down the connector says so (503 with Retry-After, within its produce timeout, and not ready);
 * once the broker is back, the sender's retry lands exactly once per alert. Uses a broker of its own, since
 * stopping the shared one would disturb other tests.
 */
class KafkaOutageIT {

    private EmbeddedKafkaBroker broker;
    private ConnectorFixture fixture;
    private TopicCatalog catalog;

    @BeforeEach
    void start() {
        broker = EmbeddedKafkaBroker.builder().build().start();
        fixture = new ConnectorFixture(broker.bootstrapServers(), "outage.", ConnectorFixture.settings());
        catalog = new TopicCatalog(new TopicSettings("outage.", 1, (short) 1), RunstreamSerdes.avro());
    }

    @AfterEach
    void stop() {
        fixture.close();
        broker.close();
    }

    @Test
    void stoppedBrokerGets503WithRetryAfterAndTheRetryLandsExactlyOncePerAlert() throws Exception {
        String before = Payloads.ALERTMANAGER_FIRING_AND_RESOLVED;
        String during = before.replace("c1a2b3d4e5f60718", "aaaa000000000001").replace("0f1e2d3c4b5a6978",
                "aaaa000000000002");
        assertThat(fixture.postAlerts(before).statusCode()).isEqualTo(200);

        broker.stop();
        long started = System.nanoTime();
        HttpResponse<String> refused = fixture.postAlerts(during);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(refused.body()).contains("kafka_unavailable");
        Duration produceTimeout = ConnectorFixture.settings().produceTimeout();
        assertThat(took).as("answered within the produce timeout, plus slack")
                .isBetween(produceTimeout.minusMillis(100), produceTimeout.plusSeconds(2));
        // A notification of many alerts must not cost the budget once per alert while the producer waits for
        // metadata from a broker that is gone.
        long manyStarted = System.nanoTime();
        HttpResponse<String> many = fixture.postAlerts(notificationOf(50));
        assertThat(many.statusCode()).as(many.body()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - manyStarted)).isLessThan(produceTimeout.plusSeconds(2));
        Awaitility.await("not ready without Kafka").atMost(Duration.ofSeconds(30))
                .until(() -> fixture.get("/health/ready").statusCode() == 503);

        broker.start();
        Awaitility.await("ready again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> fixture.get("/health/ready").statusCode() == 200);
        HttpResponse<String> retried = fixture.postAlerts(during);

        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        List<ConsumerRecord<String, Alert>> records = fixture.readAll(catalog.alerts());
        Map<String, Long> perFingerprint = records.stream()
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertThat(perFingerprint).containsExactlyInAnyOrderEntriesOf(Map.of(
                "c1a2b3d4e5f60718", 1L, "0f1e2d3c4b5a6978", 1L, "aaaa000000000001", 1L, "aaaa000000000002", 1L));
        assertThat(fixture.get("/metrics").body())
                .contains("runstream_ingest_requests_total{endpoint=\"alertmanager\",service=\"ingest-connector\",status=\"503\"} 2.0");
    }

    /** A firing notification of {@code count} alerts with fingerprints of their own. */
    private static String notificationOf(int count) {
        StringBuilder alerts = new StringBuilder();
        for (int i = 0; i < count; i++) {
            alerts.append(i == 0 ? "" : ",").append("""
                    {"status":"firing","labels":{"alertname":"HighErrorRate","service":"svc-%d"},"annotations":{},
                     "startsAt":"2026-11-22T18:40:12Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"",
                     "fingerprint":"bbbb%012d"}""".formatted(i, i));
        }
        return "{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"runstream\",\"alerts\":[" + alerts + "]}";
    }
}
