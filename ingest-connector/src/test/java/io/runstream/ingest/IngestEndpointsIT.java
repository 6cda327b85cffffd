package io.runstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertSource;
import io.runstream.avro.AlertStatus;
import io.runstream.avro.DriftScore;
import io.runstream.avro.IncidentCommand;
import io.runstream.avro.IncidentCommandType;
import io.runstream.common.http.JsonResponses;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;

@WithKafka
class IngestEndpointsIT {

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
    void alertmanagerNotificationBecomesOneAlertPerFingerprintFiringAndResolved() throws Exception {
        var response = fixture.postAlerts(Payloads.ALERTMANAGER_FIRING_AND_RESOLVED);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<ConsumerRecord<String, Alert>> records = fixture.readAll(catalog.alerts());
        assertThat(records).extracting(ConsumerRecord::key).containsExactly("c1a2b3d4e5f60718", "0f1e2d3c4b5a6978");
        Alert firing = records.get(0).value();
        assertThat(firing.getStatus()).isEqualTo(AlertStatus.FIRING);
        assertThat(firing.getEndsAt()).as("zero endsAt of a firing alert").isNull();
        assertThat(firing.getStartsAt()).isEqualTo(Instant.parse("2026-11-22T18:40:12.345Z"));
        assertThat(firing.getLabels()).containsEntry("service", "checkout").containsEntry("severity", "critical");
        assertThat(firing.getSource()).isEqualTo(AlertSource.ALERTMANAGER);
        assertThat(firing.getGroupKey()).isEqualTo("{}:{alertname=\"HighErrorRate\"}");
        Alert resolved = records.get(1).value();
        assertThat(resolved.getStatus()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(resolved.getEndsAt()).isEqualTo(Instant.parse("2026-11-22T17:41:00Z"));
        assertThat(resolved.getGeneratorUrl()).isNull();
        assertThat(fixture.get("/metrics").body()).contains("runstream_ingest_alerts_total{service=\"ingest-connector\"} 2.0")
                .contains("runstream_ingest_requests_total{endpoint=\"alertmanager\",service=\"ingest-connector\",status=\"200\"}");
    }

    @Test
    void driftReportAndPagerDutyCallbacksArriveAsRecords() throws Exception {
        var drift = fixture.post("/api/v1/drift", "application/json", bytes(Payloads.DRIFT_REPORT),
                "Authorization", basic("drift-job", "drift-pass"));
        var ack = fixture.post("/api/v1/pagerduty", "application/json",
                bytes(Payloads.pagerDuty("incident.acknowledged", "01DEN4HPBQAAAG05V5QQYBRZMF", "inc-7f3a")));
        var resolve = fixture.post("/api/v1/pagerduty", "application/json",
                bytes(Payloads.pagerDuty("incident.resolved", "01DEN4HPBQAAAG05V5QQYBRZMG", "inc-7f3a")));
        var annotated = fixture.post("/api/v1/pagerduty", "application/json",
                bytes(Payloads.pagerDuty("incident.annotated", "01DEN4HPBQAAAG05V5QQYBRZMH", "inc-7f3a")));

        assertThat(List.of(drift.statusCode(), ack.statusCode(), resolve.statusCode(), annotated.statusCode()))
                .containsOnly(202);
        List<ConsumerRecord<String, DriftScore>> scores = fixture.readAll(catalog.driftScores());
        assertThat(scores).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("fraud-scorer");
            assertThat(record.value().getDriftShare()).isEqualTo(0.42);
            assertThat(record.value().getFeatureScores()).containsEntry("amount", 0.31);
            assertThat(record.value().getReferenceAccuracy()).isEqualTo(0.93);
        });
        List<ConsumerRecord<String, IncidentCommand>> commands = fixture.readAll(catalog.incidentCommands());
        assertThat(commands).extracting(ConsumerRecord::key).containsExactly("inc-7f3a", "inc-7f3a");
        assertThat(commands).extracting(r -> r.value().getType())
                .containsExactly(IncidentCommandType.ACKNOWLEDGE, IncidentCommandType.RESOLVE);
        assertThat(commands.get(0).value().getActor()).isEqualTo("pagerduty:PLH1HKV");
        assertThat(fixture.get("/metrics").body()).contains("runstream_ingest_pagerduty_ignored_total{service=\"ingest-connector\"} 1.0");
    }

    @Test
    void everyBadInputGetsItsOwnClientErrorNamingTheFieldAndProducesNothing() throws Exception {
        String good = Payloads.ALERTMANAGER_FIRING_AND_RESOLVED;
        SoftAssertions softly = new SoftAssertions();
        expect(softly, fixture.postAlerts("{\"version\":\"4\",\"alerts\":[{"), 400, "malformed_json", null);
        expect(softly, fixture.postAlerts(good.replace("\"truncatedAlerts\":0", "\"truncatedAlerts\":\"none\"")),
                400, "wrong_type", "truncatedAlerts");
        expect(softly, fixture.postAlerts(good.replace("\"fingerprint\":\"0f1e2d3c4b5a6978\"", "\"fp\":\"x\"")),
                400, "missing_field", "alerts[1].fingerprint");
        expect(softly, fixture.postAlerts(good.replace("2026-11-22T18:20:00Z", "yesterday at noon")),
                400, "invalid_timestamp", "alerts[1].startsAt");
        expect(softly, fixture.postAlerts(good.replace("\"labels\":{\"alertname\":\"PodCrashLooping\"",
                "\"labels\":{\"alertname\":7")), 400, "wrong_type", "alerts[1].labels.alertname");
        expect(softly, fixture.postAlerts(good.replace("\"status\":\"resolved\"", "\"status\":\"gone\"")),
                400, "invalid_value", "alerts[1].status");
        expect(softly, fixture.postAlerts(good.replace("\"version\":\"4\"", "\"version\":\"3\"")),
                400, "unsupported_version", "version");
        expect(softly, fixture.postAlerts("[]"), 400, "wrong_type", null);
        expect(softly, fixture.postAlerts(""), 400, "empty_body", null);
        expect(softly, fixture.get("/api/v1/alertmanager"), 405, "method_not_allowed", null);
        expect(softly, fixture.postAlerts("{\"a\":".repeat(100) + "1" + "}".repeat(100)), 400, "too_deep", null);
        expect(softly, fixture.postAlerts(good + " trailing"), 400, "malformed_json", null);
        expect(softly, fixture.post("/api/v1/alertmanager", "text/plain", bytes(good),
                "Authorization", "Bearer " + ConnectorFixture.ALERTMANAGER_TOKEN), 415, "unsupported_media_type",
                "Content-Type");
        expect(softly, fixture.post("/api/v1/alertmanager", "application/json", bytes(good)), 401,
                "unauthorized", "Authorization");
        expect(softly, fixture.post("/api/v1/alertmanager", "application/json", bytes(good),
                "Authorization", "Bearer am-secret-tokeN"), 401, "unauthorized", "Authorization");
        expect(softly, fixture.post("/api/v1/drift", "application/json",
                bytes(Payloads.DRIFT_REPORT.replace("0.42", "1.7")), "Authorization", basic("drift-job", "drift-pass")),
                400, "invalid_value", "driftShare");
        expect(softly, fixture.post("/api/v1/drift", "application/json",
                bytes(Payloads.DRIFT_REPORT), "Authorization", basic("drift-job", "wrong")), 401, "unauthorized",
                "Authorization");
        expect(softly, fixture.post("/api/v1/pagerduty", "application/json",
                bytes(Payloads.pagerDuty("incident.resolved", "01X", "inc-1").replace("\"incident_key\"", "\"key\""))),
                400, "missing_field", "event.data.incident_key");
        softly.assertAll();

        assertThat(fixture.readAll(catalog.alerts())).isEmpty();
        assertThat(fixture.readAll(catalog.driftScores())).isEmpty();
        assertThat(fixture.readAll(catalog.incidentCommands())).isEmpty();
        assertThat(fixture.get("/metrics").body())
                .contains("runstream_ingest_rejections_total{endpoint=\"alertmanager\",reason=\"too_deep\",service=\"ingest-connector\"} 1.0")
                .contains("runstream_ingest_rejections_total{endpoint=\"alertmanager\",reason=\"unauthorized\",service=\"ingest-connector\"} 2.0");
    }

    @Test
    void oversizedBodyIsRefusedBeforeItIsReadWhole() throws Exception {
        String auth = "Authorization: Bearer " + ConnectorFixture.ALERTMANAGER_TOKEN;
        String good = Payloads.ALERTMANAGER_FIRING_AND_RESOLVED;

        // A 1 GiB upload announced with "Expect: 100-continue", as curl does for large bodies: the 413 comes back
        // before a single body byte is sent.
        RawHttp.Answer announced = RawHttp.headersOnly(fixture.uri("/api/v1/alertmanager"),
                "Content-Type: application/json", auth, "Content-Length: " + (1L << 30));
        // The same over-the-cap body streamed chunked, without a Content-Length: refused once the cap is passed.
        // (An over-the-cap body sent outright with its Content-Length is refused from the header just the same, but
        // the server then closes while the client is still writing, and java.net.http reports a broken pipe
        // instead of reading the 413, so that case is left to the raw socket above.)
        byte[] padded = bytes(" ".repeat(64 * 1024) + good);
        var chunked = fixture.client.send(java.net.http.HttpRequest.newBuilder(fixture.uri("/api/v1/alertmanager"))
                .timeout(java.time.Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + ConnectorFixture.ALERTMANAGER_TOKEN)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(padded))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(announced.head()).doesNotContain("100 Continue").contains("Connection: close");
        SoftAssertions softly = new SoftAssertions();
        expect(softly, announced.status(), announced.body(), 413, "body_too_large", null);
        expect(softly, chunked.statusCode(), chunked.body(), 413, "body_too_large", null);
        softly.assertAll();
        assertThat(chunked.request().headers().firstValue("Content-Length")).isEmpty();
        assertThat(fixture.readAll(catalog.alerts())).isEmpty();
        assertThat(fixture.get("/metrics").body()).contains(
                "runstream_ingest_rejections_total{endpoint=\"alertmanager\",reason=\"body_too_large\",service=\"ingest-connector\"} 2.0");
    }

    @Test
    void readyOnlyWithKafkaAndServesPrometheusMetrics() throws Exception {
        assertThat(fixture.get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(fixture.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(fixture.get("/metrics").body()).contains("runstream_ingest_produce_latency");
    }

    static void expect(SoftAssertions softly, java.net.http.HttpResponse<String> response, int status,
            String code, String field) throws Exception {
        expect(softly, response.statusCode(), response.body(), status, code, field);
    }

    static void expect(SoftAssertions softly, int actualStatus, String responseBody, int status, String code,
            String field) throws Exception {
        softly.assertThat(actualStatus).as(responseBody).isEqualTo(status);
        JsonNode body = JsonResponses.MAPPER.readTree(responseBody);
        softly.assertThat(body.path("error").asText()).as(responseBody).isEqualTo(code);
        if (field != null) {
            softly.assertThat(body.path("field").asText()).as(responseBody).isEqualTo(field);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(bytes(user + ":" + password));
    }
}
