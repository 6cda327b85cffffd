package io.runstream.processor.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
 * {@code GET /api/v1/services/{service}/series} on a real broker and stream processor: a service's recent
 * error rate, one point per detection step, oldest first; and every malformed request refused with a 4xx while
 * the processor keeps serving.
 */
@WithKafka
class ServiceSeriesApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE = "inference-gateway";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private StreamProcessor processor;

    @AfterEach
    void stop() {
        if (processor != null) {
            processor.close();
        }
    }

    @Test
    void servesAServicesRecentErrorRateAndRefusesMalformedRequests(TestKafka kafka, @TempDir Path dir)
            throws Exception {
        // given: ten minutes of scrapes of a service failing 0.5 % of its requests
        KafkaSettings settings = new KafkaSettings(kafka.bootstrapServers(), kafka.uniqueId("series") + ".", 3,
                (short) 1, Map.of());
        processor = new StreamProcessor(new StreamProcessorConfig(settings, new HttpSettings("127.0.0.1", 0, null),
                new StreamsSettings(kafka.uniqueId("processor"), dir.resolve("state").toString(), "exactly_once_v2",
                        Duration.ofMillis(100), 0, ""), ApiSettings.readOnly(), "", ""));
        processor.start();
        await().atMost(Duration.ofSeconds(60)).until(processor::running);
        TopicCatalog topics = new TopicCatalog(settings.topicSettings(), RunstreamSerdes.avro());
        RequestSamples.scrapes(settings, topics.metricSamples(), SERVICE, "ml-prod", 10, 0.005);

        // when: its series is asked for
        String path = "/api/v1/services/" + SERVICE + "/series";
        await().atMost(Duration.ofSeconds(60)).until(() -> get(path).statusCode() == 200
                && JSON.readTree(get(path).body()).path("points").size() >= 30);
        JsonNode series = JSON.readTree(get(path).body());

        // then: one point per 15 s step, oldest first, the newest at 0.5 %
        assertThat(series.path("service").asText()).isEqualTo(SERVICE);
        List<Instant> times = new ArrayList<>();
        series.path("points").forEach(point -> times.add(Instant.parse(point.path("at").asText())));
        assertThat(times).isSorted().doesNotHaveDuplicates();
        assertThat(Duration.between(times.get(0), times.get(1))).isEqualTo(Duration.ofSeconds(15));
        JsonNode newest = series.path("points").get(times.size() - 1);
        assertThat(newest.path("errorRate").asDouble()).isCloseTo(0.005, within(1e-6));
        assertThat(newest.has("latencyP95Seconds")).isTrue();
        // Detection goes on evaluating the now quiet service as the wall clock moves, so the newest may be later.
        JsonNode lastFive = JSON.readTree(get(path + "?limit=5").body()).path("points");
        assertThat(lastFive).hasSize(5);
        Instant firstOfFive = Instant.parse(lastFive.get(0).path("at").asText());
        assertThat(Instant.parse(lastFive.get(4).path("at").asText())).isEqualTo(firstOfFive.plusSeconds(60))
                .isAfterOrEqualTo(times.get(times.size() - 1));

        // and: bad requests are refused, naming the parameter where the API itself answers
        assertError(get("/api/v1/services/no-such-service/series"), 404, "service");
        assertError(get(path + "?limit=0"), 400, "limit");
        assertError(get(path + "?limit=501"), 400, "limit");
        assertError(get(path + "?limit=abc"), 400, "limit");
        assertError(get(path + "?limit=99999999999999999999"), 400, "limit");
        assertError(get("/api/v1/services/" + "s".repeat(201) + "/series"), 400, "service");
        assertThat(get("/api/v1/services//series").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/services/" + SERVICE + "/series/extra").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/services/" + SERVICE + "/timeline").statusCode()).isEqualTo(404);
        for (String hostile : List.of("..", "%2e%2e", "a%2Fb", "a%00b", "%0d%0aX-Injected:%20yes", "a%5C..%5Cb")) {
            HttpResponse<String> answer = get("/api/v1/services/" + hostile + "/series");
            assertThat(answer.statusCode()).as(hostile).isBetween(400, 404);
            assertThat(answer.headers().firstValue("X-Injected")).as(hostile).isEmpty();
        }
        // A query past the server's header limit is refused before any handler reads it: a 4xx (431), or no answer
        // at all when the server closes the connection while the client is still sending.
        int oversized = statusOrClosed(path + "?limit=" + "9".repeat(20_000));
        assertThat(oversized == -1 || oversized >= 400 && oversized <= 499).as("answer %d", oversized).isTrue();
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(base().resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        HttpResponse<String> postEscalations = http.send(HttpRequest.newBuilder(base().resolve("/api/v1/escalations"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(postEscalations.statusCode()).isEqualTo(405);
        HttpResponse<String> escalations = get("/api/v1/escalations");
        assertThat(escalations.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(escalations.body()).path("items")).isEmpty();
        // Still serving after all of that.
        assertThat(get(path).statusCode()).isEqualTo(200);
    }

    private static void assertError(HttpResponse<String> answer, int status, String field) throws IOException {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(answer.body());
        assertThat(error.path("field").asText()).as(answer.body()).isEqualTo(field);
        assertThat(error.path("message").asText()).isNotBlank();
    }

    /** The status code, or -1 when the server closed the connection without one. */
    /**
     * On a client of its own: the server closes a connection whose request it refused before reading it, and a
     * pooled connection closed under the shared client would fail the next request ("header parser received no
     * bytes"), a test artefact, not what any later client sees.
     */
    private int statusOrClosed(String path) throws InterruptedException {
        HttpClient oneOff = HttpClient.newHttpClient();
        try {
            return oneOff.send(HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI base() {
        return processor.endpoints().get("processor health").resolve("/");
    }
}
