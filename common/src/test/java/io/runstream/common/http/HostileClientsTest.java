package io.runstream.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The HTTP server every service runs, against clients that misbehave on purpose: slow-loris on the headers and on
 * the body, header blocks and URIs over the limit, requests that are not HTTP. Each is cut off or refused with JSON,
 * and a well-behaved client is served meanwhile.
 */
class HostileClientsTest {

    private static final HttpSettings.Limits TIGHT = new HttpSettings.Limits(Duration.ofSeconds(30),
            Duration.ofSeconds(1), Duration.ofSeconds(2), 8192, 100);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService readers = Executors.newCachedThreadPool();
    private ServiceHttpServer server;

    @BeforeEach
    void startServerWithAnEchoRoute() {
        server = ServiceHttpServer.builder("hostile-test", HttpSettings.loopback().withLimits(TIGHT),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).route("/echo", new EchoHandler()).build()
                .start();
    }

    @AfterEach
    void stopServer() {
        readers.shutdownNow();
        server.close();
    }

    @Test
    void aClientDribblingItsHeadersIsDisconnectedWhileOthersAreServed() throws Exception {
        // given: five clients each sending one more header line every 200 ms, so the connection never goes idle
        List<RawClient> slow = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RawClient loris = new RawClient(server.uri()).send("GET /health/live HTTP/1.1\r\nHost: x\r\n");
            slow.add(loris.dribble("X-Slow-" + i + ": a\r\n", 200));
        }
        try {
            // then: a well-behaved client is answered while they dribble
            assertThat(get("/health/live").statusCode()).isEqualTo(200);
            // and each slow client is cut off within two header deadlines, long before the 30 s idle timeout
            for (RawClient loris : slow) {
                readers.execute(() -> readQuietly(loris));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> slow.stream().allMatch(RawClient::closedByServer));
            assertThat(slow).allSatisfy(loris -> assertThat(loris.secondsUntilClosed()).isBetween(0.9, 6.0));
            assertThat(get("/health/live").statusCode()).isEqualTo(200);
        } finally {
            for (RawClient loris : slow) {
                loris.close();
            }
        }
    }

    @Test
    void aClientDribblingItsBodyIsAnsweredAndDisconnectedWhileOthersAreServed() throws Exception {
        try (RawClient loris = new RawClient(server.uri())) {
            // given: a body of 10,000 bytes announced, sent one byte every 100 ms (it would take 17 minutes)
            loris.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 10000\r\n\r\n")
                    .dribble("a", 100);

            // then: others are served meanwhile, and the slow body is cut off at the body deadline
            assertThat(post("/echo", "quick").body()).isEqualTo("5 bytes");
            String answer = loris.readUntilClosed();
            assertThat(RawClient.status(answer)).as(answer).isEqualTo(408);
            assertThat(json(RawClient.body(answer)).path("error").asText()).isEqualTo("body_timeout");
            assertThat(loris.secondsUntilClosed()).isBetween(1.5, 6.0);
        }
        assertThat(post("/echo", "after").body()).isEqualTo("5 bytes");
    }

    @Test
    void headerBlocksAndUrisOverTheLimitAreRefusedWithJson() throws Exception {
        String bigHeader = "X-Big: " + "b".repeat(16 * 1024) + "\r\n";
        String tooManyHeaders = "X-Many: m\r\n".repeat(2000);
        for (String headers : List.of(bigHeader, tooManyHeaders)) {
            try (RawClient raw = new RawClient(server.uri())) {
                String answer = raw.send("GET /health/live HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n").readUntilClosed();
                assertThat(RawClient.status(answer)).as(answer).isEqualTo(431);
                assertThat(answer).contains("Content-Type: application/json");
                assertThat(json(RawClient.body(answer)).path("error").asText()).isEqualTo("headers_too_large");
            }
        }
        try (RawClient raw = new RawClient(server.uri())) {
            String answer = raw.send("GET /health/live?" + "q".repeat(16 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .readUntilClosed();
            assertThat(RawClient.status(answer)).as(answer).isEqualTo(414);
            assertThat(json(RawClient.body(answer)).path("error").asText()).isEqualTo("uri_too_long");
        }
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void requestsThatAreNotHttpOrGoNowhereAreAnsweredWithJson() throws Exception {
        try (RawClient raw = new RawClient(server.uri())) {
            String answer = raw.send("\u0016\u0003\u0001 not http at all\r\n\r\n").readUntilClosed();
            assertThat(RawClient.status(answer)).as(answer).isEqualTo(400);
            assertThat(json(RawClient.body(answer)).path("error").asText()).isEqualTo("bad_request");
        }
        HttpResponse<String> unknown = get("/no/such/path");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(unknown.body()).path("error").asText()).isEqualTo("not_found");
        assertThat(unknown.body()).doesNotContain("<html", "Jetty", "at org.");
    }

    private static void readQuietly(RawClient client) {
        try {
            client.readUntilClosed();
        } catch (IOException e) {
            // marked closed either way
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String text) throws IOException {
        return JsonResponses.MAPPER.readTree(text);
    }

    /** Reads the whole body the blocking way the services' handlers do, and says how long it was. */
    private static final class EchoHandler extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            try (InputStream in = Content.Source.asInputStream(request)) {
                int length = in.readAllBytes().length;
                JsonResponses.text(response, 200, "text/plain", length + " bytes", callback);
            } catch (IOException e) {
                if (BodyDeadline.isBodyTimeout(e)) {
                    JsonResponses.error(response, 408, "body_timeout", e.getMessage(), null, callback);
                } else {
                    JsonResponses.error(response, 400, "unreadable_body", String.valueOf(e.getMessage()), null,
                            callback);
                }
            }
            return true;
        }
    }
}
