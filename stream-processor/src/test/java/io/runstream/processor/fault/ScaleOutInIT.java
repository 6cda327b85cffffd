package io.runstream.processor.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runstream.avro.Incident;
import io.runstream.common.http.HttpSettings;
import io.runstream.common.kafka.KafkaSettings;
import io.runstream.common.kafka.Topics;
import io.runstream.processor.ApiSettings;
import io.runstream.processor.StreamProcessor;
import io.runstream.processor.StreamProcessorConfig;
import io.runstream.processor.StreamsSettings;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.testing.CommittedRecords;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;

/**
 * One stream processor instance, then a second and a third under a steady load of alerts (one standby replica
 * per store), then one of them removed: all the while every instance's incident API answers each incident
 * (forwarding to its owner) or says 503 with Retry-After while partitions move, never a wrong answer; when
 * the group is stable again every instance answers every incident, and no incident was lost.
 */
@WithKafka
class ScaleOutInIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Instances starting or rebalancing with restores; generous for a loaded 2-core machine. */
    private static final Duration STARTUP = Duration.ofSeconds(180);

    private final List<StreamProcessor> instances = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private SteadyLoad load;
    private ApiProbe probe;

    @AfterEach
    void stop() {
        if (probe != null) {
            probe.close();
        }
        if (load != null) {
            load.close();
        }
        instances.forEach(StreamProcessor::close);
    }

    @Test
    void incidentApiAnswersFromEveryInstanceWhileInstancesComeAndGoAndNoIncidentIsLost(TestKafka kafka,
            @TempDir Path dir) throws Exception {
        // given: one instance, a new service's alert every 200 ms, and a probe asking every instance all along
        KafkaSettings settings = new KafkaSettings(kafka.bootstrapServers(), kafka.uniqueId("scale") + ".", 3,
                (short) 1, Map.of());
        TopicCatalog topics = Topics.catalog(settings, RunstreamSerdes.avro());
        Topics.provision(settings, topics);
        String applicationId = kafka.uniqueId("processor");
        startInstance(settings, applicationId, dir.resolve("state-1"));
        load = new SteadyLoad(settings.clientProperties(), topics.metricSamples(), topics.alerts(), 5)
                .start(Duration.ofMillis(200));
        probe = new ApiProbe(settings.clientProperties(), topics.incidents(), this::apiBases).start();
        await().atMost(STARTUP).untilAsserted(() -> assertThat(probe.correctAnswers()).as(this::probeState)
                .isGreaterThanOrEqualTo(5));

        // when: a second and a third instance join, then the second leaves
        startInstance(settings, applicationId, dir.resolve("state-2"));
        startInstance(settings, applicationId, dir.resolve("state-3"));
        awaitStableWithCorrectAnswers();
        StreamProcessor leaving = instances.remove(1);
        leaving.close();
        awaitStableWithCorrectAnswers();
        load.stop();

        // then: no wrong answer at any time, and some answers were given while instances joined and left
        assertThat(probe.wrongAnswers()).isEmpty();
        // and: every alerted service has its one incident, and both remaining instances serve all of them
        Set<String> services = load.alertServices();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> incidentIdsByService(settings, topics).keySet().containsAll(services));
        Map<String, Set<String>> idsByService = incidentIdsByService(settings, topics);
        assertThat(idsByService).allSatisfy((service, ids) -> assertThat(ids).as("incidents of %s", service)
                .hasSize(1));
        Set<String> allIds = new HashSet<>();
        idsByService.values().forEach(allIds::addAll);
        for (URI instance : apiBases()) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> listedIds(instance), ids -> ids.containsAll(allIds));
        }
    }

    private void startInstance(KafkaSettings settings, String applicationId, Path stateDir) {
        StreamProcessor instance = new StreamProcessor(new StreamProcessorConfig(settings,
                new HttpSettings("127.0.0.1", 0, null), new StreamsSettings(applicationId, stateDir.toString(),
                        "exactly_once_v2", Duration.ofMillis(100), 1, "127.0.0.1"), ApiSettings.readOnly(), "", ""));
        instance.start();
        instances.add(instance);
    }

    /** Waits until every instance is RUNNING and the probe got fresh correct answers from the settled group. */
    private void awaitStableWithCorrectAnswers() {
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(500)).until(() -> instances.stream()
                .allMatch(i -> i.streams().state() == KafkaStreams.State.RUNNING));
        long before = probe.correctAnswers();
        await().atMost(STARTUP).untilAsserted(() -> assertThat(probe.correctAnswers()).as(this::probeState)
                .isGreaterThanOrEqualTo(before + 3 * instances.size()));
    }

    private String probeState() {
        return "probe: " + probe.correctAnswers() + " correct, " + probe.retryLaterAnswers() + " retry-later, wrong: "
                + probe.wrongAnswers() + "; instances " + instances.stream().map(i -> i.streams().state()).toList();
    }

    private List<URI> apiBases() {
        return instances.stream().map(i -> i.endpoints().get("incident API").resolve("/")).toList();
    }

    /** Every incident id the instance lists, across pages; empty while it answers 503. */
    private Set<String> listedIds(URI instance) throws IOException, InterruptedException {
        Set<String> ids = new HashSet<>();
        String after = null;
        do {
            URI page = instance.resolve("/api/v1/incidents?limit=500" + (after == null ? "" : "&after=" + after));
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(page).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                return Set.of();
            }
            JsonNode body = JSON.readTree(answer.body());
            body.get("items").forEach(item -> ids.add(item.get("id").asText()));
            after = body.hasNonNull("nextCursor") ? body.get("nextCursor").asText() : null;
        } while (after != null);
        return ids;
    }

    private static Map<String, Set<String>> incidentIdsByService(KafkaSettings settings, TopicCatalog topics) {
        Map<String, Set<String>> ids = new HashMap<>();
        for (ConsumerRecord<String, Incident> record : CommittedRecords.read(settings.clientProperties(),
                topics.incidents().name(), topics.incidents().keySerde().deserializer(),
                topics.incidents().valueSerde().deserializer())) {
            ids.computeIfAbsent(record.value().getService(), s -> new HashSet<>()).add(record.key());
        }
        return ids;
    }
}
