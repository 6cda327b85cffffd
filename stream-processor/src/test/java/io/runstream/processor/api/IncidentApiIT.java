package io.runstream.processor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * Two stream-processor instances on one real broker: every incident is answered from either instance, each
 * request for a key the other owns being routed there, and a list gathers both instances' incidents.
 */
@WithKafka
class IncidentApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SERVICES = 12;
    private static final String TOKEN = "it-write-token-0123456789";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<StreamProcessor> instances = new ArrayList<>();
    private KafkaSettings kafkaSettings;

    @BeforeEach
    void givenTwoInstancesOfOneApplication(TestKafka kafka) {
        kafkaSettings = new KafkaSettings(kafka.bootstrapServers(), kafka.uniqueId("api") + ".", 6, (short) 1,
                Map.of());
        String applicationId = kafka.uniqueId("processor");
        for (int i = 0; i < 2; i++) {
            StreamProcessor instance = new StreamProcessor(new StreamProcessorConfig(kafkaSettings,
                    new HttpSettings("127.0.0.1", 0, null),
                    new StreamsSettings(applicationId, "", "exactly_once_v2", Duration.ofMillis(100), 0, ""),
                    new ApiSettings(TOKEN), "", ""));
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
    void answersForEveryIncidentFromEitherInstance() throws Exception {
        // given: twelve services each with a firing alert, so twelve incidents spread over both instances
        produceFiringAlerts();

        // when: the list is asked of either instance
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(ids(get(0, "/api/v1/incidents?limit=500"))).hasSize(SERVICES);
            assertThat(ids(get(1, "/api/v1/incidents?limit=500"))).hasSize(SERVICES);
        });

        // then: each instance holds only part of them, yet answers for all of them
        Set<String> all = ids(get(0, "/api/v1/incidents?limit=500"));
        int ownedByFirst = ids(get(0, "/api/v1/incidents?local=true&limit=500")).size();
        int ownedBySecond = ids(get(1, "/api/v1/incidents?local=true&limit=500")).size();
        assertThat(ownedByFirst + ownedBySecond).isEqualTo(SERVICES);
        assertThat(ownedByFirst).isPositive();
        assertThat(ownedBySecond).isPositive();
        for (String id : all) {
            for (int instance = 0; instance < 2; instance++) {
                HttpResponse<String> answer = get(instance, "/api/v1/incidents/" + id);
                assertThat(answer.statusCode()).as("incident %s from instance %d", id, instance).isEqualTo(200);
                JsonNode incident = JSON.readTree(answer.body());
                assertThat(incident.path("id").asText()).isEqualTo(id);
                assertThat(incident.path("alerts")).hasSize(1);
                assertThat(incident.path("timeline").findValuesAsText("type")).contains("OPENED", "ALERT_ATTACHED");
            }
        }
        // and: either instance tells every incident's next escalation (P2: page the on-call after 5 minutes),
        // once the wall-clock punctuator (every second) has sent each incident's immediate Slack notice
        for (int instance = 0; instance < 2; instance++) {
            int asked = instance;
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode pending = JSON.readTree(get(asked, "/api/v1/escalations").body()).path("items");
                Set<String> waiting = new HashSet<>();
                pending.forEach(step -> {
                    waiting.add(step.path("incidentId").asText());
                    assertThat(step.path("step").asText()).isEqualTo("page-on-call");
                    assertThat(step.path("channel").asText()).isEqualTo("pagerduty/on-call");
                });
                assertThat(waiting).as("instance %d", asked).isEqualTo(all);
            });
        }
    }

    @Test
    void pagesThroughAllIncidentsWithTheCursor() throws Exception {
        produceFiringAlerts();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(ids(get(1, "/api/v1/incidents?limit=500"))).hasSize(SERVICES));

        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            String path = "/api/v1/incidents?limit=5" + (cursor == null ? "" : "&after=" + cursor);
            int instance = pages % 2;
            // A client retries a 503 (a rebalance in progress) as its Retry-After says.
            HttpResponse<String> answer = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> get(instance, path), response -> response.statusCode() != 503);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode page = JSON.readTree(answer.body());
            page.path("items").forEach(item -> assertThat(seen.add(item.path("id").asText())).isTrue());
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(seen).hasSize(SERVICES);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void filtersByServiceSeverityAndState() throws Exception {
        produceFiringAlerts();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(ids(get(0, "/api/v1/incidents?state=OPEN&severity=P2&limit=500"))).hasSize(SERVICES));

        assertThat(ids(get(0, "/api/v1/incidents?service=model-3"))).hasSize(1);
        assertThat(ids(get(1, "/api/v1/incidents?state=resolved"))).isEmpty();
        assertThat(ids(get(1, "/api/v1/incidents?severity=P1,P3"))).isEmpty();
    }

    @Test
    void refusesBadRequestsWithAnErrorNamingTheParameter() throws Exception {
        assertError(get(0, "/api/v1/incidents?severity=P9"), 400, "invalid_parameter", "severity");
        assertError(get(0, "/api/v1/incidents?state=SLEEPING"), 400, "invalid_parameter", "state");
        assertError(get(0, "/api/v1/incidents?limit=0"), 400, "invalid_parameter", "limit");
        assertError(get(0, "/api/v1/incidents?limit=abc"), 400, "invalid_parameter", "limit");
        assertError(get(0, "/api/v1/incidents?limit=100000"), 400, "invalid_parameter", "limit");
        assertError(get(0, "/api/v1/incidents?after=not-a-cursor!"), 400, "invalid_parameter", "after");
        assertError(get(1, "/api/v1/incidents/INC-DOESNOTEXIST"), 404, "not_found", "id");
        assertError(get(1, "/api/v1/incidents/" + "x".repeat(300)), 400, "invalid_parameter", "id");
        assertError(get(1, "/api/v1/incidents/a/b/c"), 404, "not_found", null);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(base(0).resolve("/api/v1/incidents"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(post, 405, "method_not_allowed", null);
        HttpResponse<String> dashboard = get(0, "/dashboard");
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(dashboard.body()).contains("<title>Runstream incidents</title>", "/api/v1");
        // Still serving after all of that.
        assertThat(get(0, "/api/v1/incidents").statusCode()).isEqualTo(200);
    }

    @Test
    void acknowledgesThroughEitherInstanceAndRefusesBadWrites() throws Exception {
        produceFiringAlerts();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(ids(get(0, "/api/v1/incidents?limit=500"))).hasSize(SERVICES));
        List<String> ids = new ArrayList<>(ids(get(0, "/api/v1/incidents?limit=500")));

        for (int i = 0; i < 2; i++) {
            HttpResponse<String> accepted = post(i, "/api/v1/incidents/" + ids.get(i) + "/acknowledge",
                    "{\"actor\":\"alice\",\"note\":\"on it\"}", "Bearer " + TOKEN, "application/json");
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            assertThat(JSON.readTree(accepted.body()).path("commandId").asText()).isNotBlank();
        }
        for (int i = 0; i < 2; i++) {
            String id = ids.get(i);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode incident = JSON.readTree(get(1, "/api/v1/incidents/" + id).body());
                assertThat(incident.path("state").asText()).isEqualTo("ACKNOWLEDGED");
                assertThat(incident.path("acknowledgedBy").asText()).isEqualTo("alice");
                assertThat(incident.path("timeline").findValuesAsText("type")).contains("ACKNOWLEDGED");
            });
        }
        // the API resolved each incident's correlation key when it accepted the command, so the processor routed
        // both by it without looking them up in the incidents table (issue 19)
        assertThat(commandsRouted("carried")).isEqualTo(2.0);
        assertThat(commandsRouted("lookup")).isZero();

        String path = "/api/v1/incidents/" + ids.get(2);
        assertError(post(0, path + "/acknowledge", "{\"actor\":\"x\"}", null, "application/json"), 401,
                "unauthorized", "Authorization");
        assertError(post(0, path + "/acknowledge", "{\"actor\":\"x\"}", "Bearer " + TOKEN + "x",
                "application/json"), 401, "unauthorized", "Authorization");
        assertError(post(0, path + "/explode", "{}", "Bearer " + TOKEN, "application/json"), 404, "not_found",
                "action");
        assertError(post(0, path + "/acknowledge", "{\"actor\":", "Bearer " + TOKEN, "application/json"), 400,
                "invalid_parameter", "body");
        assertError(post(0, path + "/acknowledge", "{\"actor\":42}", "Bearer " + TOKEN, "application/json"), 400,
                "invalid_parameter", "actor");
        assertError(post(0, path + "/acknowledge", "{\"actor\":\"x\",\"role\":\"admin\"}", "Bearer " + TOKEN,
                "application/json"), 400, "invalid_parameter", "role");
        assertError(post(0, path + "/acknowledge", "{}", "Bearer " + TOKEN, "application/json"), 400,
                "invalid_parameter", "actor");
        assertError(post(0, path + "/assign", "{\"actor\":\"x\"}", "Bearer " + TOKEN, "application/json"), 400,
                "invalid_parameter", "assignee");
        assertError(post(0, path + "/comment", "{\"actor\":\"" + "x".repeat(20_000) + "\"}", "Bearer " + TOKEN,
                "application/json"), 413, "body_too_large", null);
        assertError(post(0, path + "/acknowledge", "actor=x", "Bearer " + TOKEN, "text/plain"), 415,
                "unsupported_media_type", "Content-Type");
        assertError(post(1, "/api/v1/incidents/INC-DOESNOTEXIST/acknowledge", "{\"actor\":\"x\"}",
                "Bearer " + TOKEN, "application/json"), 404, "not_found", "id");
        assertError(get(0, path + "/acknowledge"), 405, "method_not_allowed", null);
        // Nothing of that reached the third incident.
        assertThat(JSON.readTree(get(0, path).body()).path("state").asText()).isEqualTo("OPEN");
    }

    private HttpResponse<String> post(int instance, String path, String body, String authorization,
            String contentType) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base(instance).resolve(path))
                .timeout(Duration.ofSeconds(15)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void produceFiringAlerts() {
        TopicCatalog topics = new TopicCatalog(kafkaSettings.topicSettings(), RunstreamSerdes.avro());
        var alerts = topics.alerts();
        try (KafkaProducer<String, Alert> producer = new KafkaProducer<>(producerProperties(),
                alerts.keySerde().serializer(), alerts.valueSerde().serializer())) {
            Instant now = Instant.now();
            for (int i = 0; i < SERVICES; i++) {
                Alert alert = Alert.newBuilder()
                        .setFingerprint("fp-" + i)
                        .setStatus(AlertStatus.FIRING)
                        // a warning measured at 5 %: P2 by runbook 001's bands (a critical alert would be P1)
                        .setLabels(Map.of("alertname", "HighErrorRate", "severity", "warning",
                                "service", "model-" + i, "namespace", "ml-prod"))
                        .setAnnotations(Map.of("summary", "5xx above 5 % on model-" + i, "kind", "error_ratio",
                                "value", "0.05"))
                        .setStartsAt(now).setSource(AlertSource.ALERTMANAGER).setReceivedAt(now)
                        .build();
                producer.send(new ProducerRecord<>(alerts.name(), null, now.toEpochMilli(), alert.getFingerprint(),
                        alert));
            }
            producer.flush();
        }
    }

    private java.util.Properties producerProperties() {
        java.util.Properties props = kafkaSettings.clientProperties();
        props.put("bootstrap.servers", kafkaSettings.bootstrapServers());
        return props;
    }

    private boolean ready(StreamProcessor instance) {
        try {
            return http.send(HttpRequest.newBuilder(instance.endpoints().get("processor health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private URI base(int instance) {
        return instances.get(instance).endpoints().get("incident API");
    }

    private HttpResponse<String> get(int instance, String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base(instance).resolve(pathAndQuery)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** runstream_incident_commands_routed{by} summed over both instances' /metrics. */
    private double commandsRouted(String by) throws IOException, InterruptedException {
        double sum = 0;
        for (int i = 0; i < 2; i++) {
            for (String line : get(i, "/metrics").body().split("\n")) {
                if (line.startsWith("runstream_incident_commands_routed_total{") && line.contains("by=\"" + by + "\"")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return sum;
    }

    private static Set<String> ids(HttpResponse<String> answer) throws IOException {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        Set<String> ids = new HashSet<>();
        JSON.readTree(answer.body()).path("items").forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    private static void assertError(HttpResponse<String> answer, int status, String error, String field)
            throws IOException {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("error").asText()).isEqualTo(error);
        assertThat(body.path("message").asText()).isNotBlank();
        if (field != null) {
            assertThat(body.path("field").asText()).isEqualTo(field);
        }
    }
}
