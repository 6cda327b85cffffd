package io.runstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.runstream.launcher.api.ApiException;
import io.runstream.launcher.api.IncidentApiClient;

/**
 * The client's handling of a stack that is rebalancing: a 503 with Retry-After is retried as it says, until it
 * succeeds or the retry time is up. A plain HTTP server plays the rebalancing API, since a real stream processor
 * answers 503 only in a moment a test cannot hold open.
 */
class IncidentApiClientTest {

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int unavailableAnswers;
    private volatile String readToken;

    @BeforeEach
    void startAnApiThatIsRebalancing() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/incidents", exchange -> {
            byte[] body;
            String presented = exchange.getRequestHeaders().getFirst("Authorization");
            if (readToken != null && !("Bearer " + readToken).equals(presented)) {
                body = "{\"error\":\"unauthorized\",\"message\":\"a read token is required\"}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(401, body.length);
            } else if (requests.incrementAndGet() <= unavailableAnswers) {
                body = "{\"error\":\"unavailable\",\"message\":\"rebalancing\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Retry-After", "1");
                exchange.sendResponseHeaders(503, body.length);
            } else {
                body = "{\"items\":[{\"id\":\"INC-0123456789AB\"}]}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
            }
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void retriesA503AsItsRetryAfterSays() throws Exception {
        unavailableAnswers = 1;

        assertThat(client(Duration.ofSeconds(10)).list(Map.of(), 10)).hasSize(1);
        assertThat(requests.get()).isEqualTo(2);
    }

    @Test
    void givesUpWithExitCode4WhenTheApiStaysUnavailable() {
        unavailableAnswers = Integer.MAX_VALUE;

        assertThatThrownBy(() -> client(Duration.ofMillis(1500)).list(Map.of(), 10))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ApiException.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("503", "rebalancing", "retry");
                });
    }

    @Test
    void sendsTheReadTokenWhenGivenAndSaysSoWhenTheApiWantsOne() throws Exception {
        readToken = "read-token-0123456789";
        URI api = URI.create("http://127.0.0.1:" + server.getAddress().getPort());

        assertThat(new IncidentApiClient(api, null, readToken, Duration.ofSeconds(5), Clock.systemUTC())
                .list(Map.of(), 10)).hasSize(1);
        assertThatThrownBy(() -> client(Duration.ofSeconds(5)).list(Map.of(), 10))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ApiException.REFUSED);
                    assertThat(e.getMessage()).contains("read token (401)", "RUNSTREAM_API_READ_TOKEN");
                });
    }

    private IncidentApiClient client(Duration retryFor) {
        return new IncidentApiClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null, retryFor,
                Clock.systemUTC());
    }
}
