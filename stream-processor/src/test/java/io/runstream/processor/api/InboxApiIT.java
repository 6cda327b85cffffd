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
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;
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
 * Two stream-processor instances on one real broker: the local inbox's deliveries, spread over both instances'
 * partitions of incident-events, are answered whole and newest first by either, each holding only its own.
 */
@WithKafka
class InboxApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DELIVERIES = 12;
    private static final Instant T0 = Instant.parse("2026-12-06T04:00:00Z");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<StreamProcessor> instances = new ArrayList<>();
    private KafkaSettings kafkaSettings;

    @BeforeEach
    void givenTwoInstancesOfOneApplication(TestKafka kafka) {
        kafkaSettings = new KafkaSettings(kafka.bootstrapServers(), kafka.uniqueId("inbox") + ".", 6, (short) 1,
                Map.of());
        String applicationId = kafka.uniqueId("processor");
        for (int i = 0; i < 2; i++) {
            StreamProcessor instance = new StreamProcessor(new StreamProcessorConfig(kafkaSettings,
                    new HttpSettings("127.0.0.1", 0, null),
                    new StreamsSettings(applicationId, "", "exactly_once_v2", Duration.ofMillis(100), 0, ""),
                    ApiSettings.readOnly(), "", ""));
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
    void gathersTheNewestDeliveriesFromEveryInstance() throws Exception {
        // given: twelve incidents' pages delivered to the local inbox, a minute apart, and one real page
        produceTimelineEntries();

        // when / then: either instance answers all twelve, newest first
        for (int instance = 0; instance < 2; instance++) {
            int asked = instance;
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(incidentIds(get(asked, "/api/v1/inbox?limit=500"))).hasSize(DELIVERIES));
        }
        List<String> expected = new ArrayList<>();
        for (int i = DELIVERIES - 1; i >= 0; i--) {
            expected.add("INC-" + i);
        }
        assertThat(incidentIds(get(0, "/api/v1/inbox?limit=500"))).containsExactlyElementsOf(expected);
        assertThat(incidentIds(get(1, "/api/v1/inbox"))).containsExactlyElementsOf(expected);
        assertThat(incidentIds(get(1, "/api/v1/inbox?limit=3"))).containsExactlyElementsOf(expected.subList(0, 3));
        JsonNode newest = JSON.readTree(get(0, "/api/v1/inbox?limit=1").body()).path("items").get(0);
        assertThat(newest.path("at").asText()).isEqualTo(T0.plusSeconds(60L * (DELIVERIES - 1)).toString());
        assertThat(newest.path("channel").asText()).isEqualTo("pagerduty/on-call");
        assertThat(newest.path("event").asText()).isEqualTo("trigger");
        assertThat(newest.path("text").asText()).isEqualTo("P1 model-11: 5xx above 5 %");
        assertThat(newest.path("commandId").asText()).isEqualTo("INC-11/escalation/page-on-call");

        // and: each instance holds only its own partitions' deliveries
        int first = incidentIds(get(0, "/api/v1/inbox?local=true&limit=500")).size();
        int second = incidentIds(get(1, "/api/v1/inbox?local=true&limit=500")).size();
        assertThat(first + second).isEqualTo(DELIVERIES);
        assertThat(first).isPositive();
        assertThat(second).isPositive();

        // and: hostile limits are refused by the instance asked, naming the parameter
        for (String limit : List.of("0", "501", "ten", "-5")) {
            HttpResponse<String> answer = get(1, "/api/v1/inbox?limit=" + limit);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
            assertThat(JSON.readTree(answer.body()).path("field").asText()).isEqualTo("limit");
        }
    }

    private void produceTimelineEntries() {
        TopicCatalog topics = new TopicCatalog(kafkaSettings.topicSettings(), RunstreamSerdes.avro());
        var events = topics.incidentEvents();
        try (KafkaProducer<String, IncidentEvent> producer = new KafkaProducer<>(producerProperties(),
                events.keySerde().serializer(), events.valueSerde().serializer())) {
            for (int i = 0; i < DELIVERIES; i++) {
                String id = "INC-" + i;
                Instant at = T0.plusSeconds(60L * i);
                IncidentEvent delivered = IncidentEvent.newBuilder().setEventId(id + "/result").setIncidentId(id)
                        .setType(IncidentEventType.ACTION_RESULT).setAt(at)
                        .setMessage("PAGE SUCCEEDED: delivered to the local inbox")
                        .setActionCommandId(id + "/escalation/page-on-call")
                        .setDetails(Map.of("outcome", "SUCCEEDED", "after.delivery", "inbox",
                                "after.channel", "pagerduty/on-call", "after.event", "trigger",
                                "after.text", "P1 model-" + i + ": 5xx above 5 %"))
                        .build();
                IncidentEvent sent = IncidentEvent.newBuilder(delivered).setEventId(id + "/sent")
                        .setDetails(Map.of("outcome", "SUCCEEDED", "after.pagerduty", "trigger")).build();
                producer.send(new ProducerRecord<>(events.name(), null, at.toEpochMilli(), id, delivered));
                producer.send(new ProducerRecord<>(events.name(), null, at.toEpochMilli(), id, sent));
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

    private HttpResponse<String> get(int instance, String pathAndQuery) throws IOException, InterruptedException {
        URI uri = instances.get(instance).endpoints().get("local inbox").resolve(pathAndQuery);
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> incidentIds(HttpResponse<String> answer) throws IOException {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        JSON.readTree(answer.body()).path("items").forEach(item -> ids.add(item.path("incidentId").asText()));
        return ids;
    }
}
