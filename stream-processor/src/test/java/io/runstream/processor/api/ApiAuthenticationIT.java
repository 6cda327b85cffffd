package io.runstream.processor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertSource;
import io.runstream.avro.AlertStatus;
import io.runstream.common.http.HttpSettings;
import io.runstream.common.kafka.KafkaSettings;
import io.runstream.processor.ApiSettings;
import io.runstream.processor.StreamProcessor;
import io.runstream.processor.StreamProcessorConfig;
import io.runstream.processor.StreamsSettings;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;

/**
 * Two instances with a read token and a write token: every read of incident data (list, one incident, service
 * health, escalations, the local inbox, the dashboard) needs the read token, every command the write token, each refusal a 401 with a
 * challenge; health and metrics stay open; and requests one instance forwards to the other carry the read token.
 */
@WithKafka
class ApiAuthenticationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WRITE_TOKEN = "it-write-token-0123456789";
    private static final String READ_TOKEN = "it-read-token-9876543210";
    private static final int SERVICES = 6;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<StreamProcessor> instances = new ArrayList<>();
    private KafkaSettings kafkaSettings;

    @BeforeEach
    void givenTwoInstancesWithReadAndWriteTokens(TestKafka kafka) {
        kafkaSettings = new KafkaSettings(kafka.bootstrapServers(), kafka.uniqueId("auth") + ".", 6, (short) 1,
                Map.of());
        String applicationId = kafka.uniqueId("processor");
        for (int i = 0; i < 2; i++) {
            StreamProcessor instance = new StreamProcessor(new StreamProcessorConfig(kafkaSettings,
                    new HttpSettings("127.0.0.1", 0, null),
                    new StreamsSettings(applicationId, "", "exactly_once_v2", Duration.ofMillis(100), 0, ""),
                    new ApiSettings(WRITE_TOKEN, READ_TOKEN), "", ""));
            instances.add(instance);
            instance.start();
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> instances.stream().allMatch(this::ready));
    }

    @AfterEach
    void stopInstances() {
        instances.forEach(StreamProcessor::close);
    }

    @Test
    void everyReadNeedsTheReadTokenAndForwardedReadsCarryIt() throws Exception {
        produceFiringAlerts();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(ids(send(0, "GET", "/api/v1/incidents?limit=500", bearer(READ_TOKEN), null)))
                        .hasSize(SERVICES));
        List<String> ids = ids(send(1, "GET", "/api/v1/incidents?limit=500", bearer(READ_TOKEN), null));

        SoftAssertions softly = new SoftAssertions();
        List<String> reads = new ArrayList<>(List.of("/api/v1/incidents", "/api/v1/incidents?local=true",
                "/api/v1/incidents/" + ids.get(0), "/api/v1/services/model-0/health", "/api/v1/escalations",
                "/api/v1/inbox", "/api/v1/inbox?local=true", "/dashboard"));
        for (String path : reads) {
            for (int instance = 0; instance < 2; instance++) {
                expectUnauthorized(softly, send(instance, "GET", path, null, null), path);
                expectUnauthorized(softly, send(instance, "GET", path, bearer(READ_TOKEN + "x"), null), path);
                expectUnauthorized(softly, send(instance, "GET", path, bearer(WRITE_TOKEN), null), path);
                expectUnauthorized(softly, send(instance, "GET", path, basic("alice", "guess"), null), path);
            }
        }
        softly.assertThat(send(0, "GET", "/dashboard", null, null).headers().firstValue("WWW-Authenticate"))
                .as("a browser is asked for the token").hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        softly.assertThat(send(0, "GET", "/api/v1/incidents", null, null).headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        // Every incident from either instance: half of them are forwarded to their owner, with the token.
        for (String id : ids) {
            for (int instance = 0; instance < 2; instance++) {
                HttpResponse<String> one = send(instance, "GET", "/api/v1/incidents/" + id, bearer(READ_TOKEN), null);
                softly.assertThat(one.statusCode()).as("%s from %d: %s", id, instance, one.body()).isEqualTo(200);
            }
        }
        for (int instance = 0; instance < 2; instance++) {
            // No samples were sent: 404 from the owner, forwarded or not, proves the gate let the request through.
            HttpResponse<String> health = send(instance, "GET", "/api/v1/services/model-0/health", bearer(READ_TOKEN),
                    null);
            softly.assertThat(health.statusCode()).as(health.body()).isEqualTo(404);
            softly.assertThat(send(instance, "GET", "/dashboard", bearer(READ_TOKEN), null).statusCode())
                    .isEqualTo(200);
            // The escalations list gathers every instance's timers: the peers are asked with the token.
            HttpResponse<String> escalations = send(instance, "GET", "/api/v1/escalations", bearer(READ_TOKEN), null);
            softly.assertThat(escalations.statusCode()).as(escalations.body()).isEqualTo(200);
            // So does the local inbox.
            HttpResponse<String> inbox = send(instance, "GET", "/api/v1/inbox", bearer(READ_TOKEN), null);
            softly.assertThat(inbox.statusCode()).as(inbox.body()).isEqualTo(200);
            softly.assertThat(send(instance, "GET", "/dashboard", basic("alice", READ_TOKEN), null).statusCode())
                    .as("browser login with the token as password").isEqualTo(200);
            softly.assertThat(send(instance, "GET", "/api/v1/incidents", basic("alice", READ_TOKEN), null)
                    .statusCode()).as("the page's own requests after the browser login").isEqualTo(200);
            // Open: probes and scrapers carry no credentials.
            softly.assertThat(send(instance, "GET", "/health/ready", null, null).statusCode()).isEqualTo(200);
            softly.assertThat(send(instance, "GET", "/health/live", null, null).statusCode()).isEqualTo(200);
            softly.assertThat(send(instance, "GET", "/metrics", null, null).statusCode()).isEqualTo(200);
        }
        softly.assertAll();
    }

    @Test
    void everyCommandNeedsTheWriteTokenNotTheReadToken() throws Exception {
        produceFiringAlerts();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(ids(send(0, "GET", "/api/v1/incidents?limit=500", bearer(READ_TOKEN), null)))
                        .hasSize(SERVICES));
        String id = ids(send(0, "GET", "/api/v1/incidents?limit=500", bearer(READ_TOKEN), null)).get(0);
        String body = "{\"actor\":\"alice\",\"note\":\"looking\",\"assignee\":\"bob\"}";

        SoftAssertions softly = new SoftAssertions();
        for (String action : List.of("acknowledge", "assign", "comment", "approve", "resolve")) {
            String path = "/api/v1/incidents/" + id + "/" + action;
            expectUnauthorized(softly, send(0, "POST", path, null, body), path);
            expectUnauthorized(softly, send(0, "POST", path, bearer(WRITE_TOKEN + "x"), body), path);
            expectUnauthorized(softly, send(0, "POST", path, bearer(READ_TOKEN), body), path);
            expectUnauthorized(softly, send(1, "POST", path, basic("alice", WRITE_TOKEN), body), path);
            HttpResponse<String> accepted = send(1, "POST", path, bearer(WRITE_TOKEN), body);
            softly.assertThat(accepted.statusCode()).as("%s: %s", path, accepted.body()).isEqualTo(202);
        }
        softly.assertAll();
    }

    private static void expectUnauthorized(SoftAssertions softly, HttpResponse<String> answer, String what)
            throws IOException {
        softly.assertThat(answer.statusCode()).as("%s: %s", what, answer.body()).isEqualTo(401);
        softly.assertThat(answer.headers().firstValue("WWW-Authenticate")).as(what).isPresent();
        JsonNode body = JSON.readTree(answer.body());
        softly.assertThat(body.path("error").asText()).as(what).isEqualTo("unauthorized");
        softly.assertThat(body.path("field").asText()).as(what).isEqualTo("Authorization");
    }

    private void produceFiringAlerts() {
        TopicCatalog topics = new TopicCatalog(kafkaSettings.topicSettings(), RunstreamSerdes.avro());
        var alerts = topics.alerts();
        try (KafkaProducer<String, Alert> producer = new KafkaProducer<>(kafkaSettings.clientProperties(),
                alerts.keySerde().serializer(), alerts.valueSerde().serializer())) {
            Instant now = Instant.now();
            for (int i = 0; i < SERVICES; i++) {
                Alert alert = Alert.newBuilder().setFingerprint("fp-" + i).setStatus(AlertStatus.FIRING)
                        .setLabels(Map.of("alertname", "HighErrorRate", "severity", "critical",
                                "service", "model-" + i, "namespace", "ml-prod"))
                        .setAnnotations(Map.of("summary", "5xx above 5 % on model-" + i))
                        .setStartsAt(now).setSource(AlertSource.ALERTMANAGER).setReceivedAt(now).build();
                producer.send(new ProducerRecord<>(alerts.name(), null, now.toEpochMilli(), alert.getFingerprint(),
                        alert));
            }
            producer.flush();
        }
    }

    private boolean ready(StreamProcessor instance) {
        try {
            return send(instances.indexOf(instance), "GET", "/health/ready", null, null).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private HttpResponse<String> send(int instance, String method, String path, String authorization, String body)
            throws IOException, InterruptedException {
        URI uri = instances.get(instance).endpoints().get("incident API").resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> ids(HttpResponse<String> answer) throws IOException {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        JSON.readTree(answer.body()).path("items").forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
