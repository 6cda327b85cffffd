package io.runstream.processor.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runstream.common.http.AccessToken;
import io.runstream.common.http.HttpSettings;
import io.runstream.common.http.ServiceHttpServer;
import io.runstream.common.service.Metrics;

/**
 * {@code GET /api/v1/inbox} before Kafka Streams runs, behind the read-token gate as the processor serves it: bad
 * input is a JSON 400 naming {@code limit} (checked before anything is read), anything else a 503 with
 * Retry-After, never a partial list. The answers with data are in {@code InboxApiIT}.
 */
class InboxApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String READ_TOKEN = "test-read-token-0123456789";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ServiceHttpServer server;

    @BeforeEach
    void startTheApiWithoutStreams() {
        AccessToken token = AccessToken.of(READ_TOKEN);
        server = ServiceHttpServer.builder("inbox-test", new HttpSettings("127.0.0.1", 0, null),
                        Metrics.newRegistry("inbox-test"))
                .route(InboxApi.PATH, ReadTokenGate.api(token,
                        new InboxApi(() -> null, new HostInfo("127.0.0.1", 1), "runstream.incident-events", token)))
                .build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void refusesALimitOutsideOneToFiveHundredNamingTheParameter() throws Exception {
        for (String limit : new String[] {"0", "-1", "501", "abc", "1e3", "2.5", "99999999999999999999", " ",
                "50;DROP", "%00", "x".repeat(5_000)}) {
            HttpResponse<String> answer = get("/api/v1/inbox?limit=" + URLEncoder.encode(limit,
                    StandardCharsets.UTF_8), READ_TOKEN);
            if (limit.isBlank()) {
                // blank is the default limit: past validation, to the not-yet-running streams
                assertThat(answer.statusCode()).isEqualTo(503);
                continue;
            }
            assertError(answer, 400, "invalid_parameter", "limit");
            assertThat(answer.body()).as("the value is echoed cut short").hasSizeLessThan(400);
        }
    }

    @Test
    void answersNotReadyWithRetryAfterWhileTheStreamsAreNotRunning() throws Exception {
        HttpResponse<String> answer = get("/api/v1/inbox?limit=10", READ_TOKEN);

        assertError(answer, 503, "not_ready", null);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
        assertError(get("/api/v1/inbox?local=true", READ_TOKEN), 503, "not_ready", null);
    }

    @Test
    void needsTheReadTokenAndOnlyAnswersGet() throws Exception {
        assertError(get("/api/v1/inbox", null), 401, "unauthorized", "Authorization");
        assertError(get("/api/v1/inbox", READ_TOKEN + "x"), 401, "unauthorized", "Authorization");
        HttpResponse<String> delete = http.send(HttpRequest.newBuilder(uri("/api/v1/inbox"))
                .header("Authorization", "Bearer " + READ_TOKEN).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(delete, 405, "method_not_allowed", null);
        assertThat(delete.headers().firstValue("Allow")).hasValue("GET");
    }

    private HttpResponse<String> get(String pathAndQuery, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String pathAndQuery) {
        return server.uri().resolve(pathAndQuery);
    }

    private static void assertError(HttpResponse<String> answer, int status, String error, String field)
            throws IOException {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("error").asText()).isEqualTo(error);
        assertThat(body.path("message").asText()).isNotBlank();
        if (field != null) {
            assertThat(body.path("field").asText()).isEqualTo(field);
        }
    }
}
