package io.runstream.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * A handler that answers before reading the request body (a 401 for a wrong token, a 415, a 413 by the declared
 * length) must not leave the client a kept-alive connection the server is about to close: a client that reuses
 * it for its next POST gets no answer at all ("header parser received no bytes"), and POSTs are not retried.
 */
class EarlyAnswerKeepAliveTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ServiceHttpServer server;

    @BeforeEach
    void startServerThatRefusesBeforeReading() {
        server = ServiceHttpServer.builder("early-answer-test", HttpSettings.loopback(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).route("/refuse", new Handler.Abstract() {
                    @Override
                    public boolean handle(Request request, Response response, Callback callback) {
                        JsonResponses.error(response, 401, "unauthorized", "no", "Authorization", callback);
                        return true;
                    }
                }).build().start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void everyPostOnAReusedConnectionIsAnswered() throws Exception {
        // given: a body big enough that it often arrives after the headers have been handled
        String body = "{\"note\":\"" + "x".repeat(20_000) + "\"}";
        List<String> failures = new ArrayList<>();
        // when: one client sends POST after POST, each refused before its body is read
        for (int i = 0; i < 300; i++) {
            HttpRequest post = HttpRequest.newBuilder(server.uri().resolve("/refuse"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            try {
                HttpResponse<String> answer = client.send(post, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 401) {
                    failures.add(i + ": status " + answer.statusCode());
                }
                if (answer.headers().firstValue("Connection").isPresent()) {
                    failures.add(i + ": a drained body should keep the connection, got Connection: "
                            + answer.headers().firstValue("Connection").get());
                }
            } catch (java.io.IOException e) {
                failures.add(i + ": " + e);
            }
        }
        // then: each one got its 401
        assertThat(failures).isEmpty();
    }

    @Test
    void aBodyTooLargeToDrainClosesTheConnectionAndTheNextRequestIsServed() throws Exception {
        // given: a body far over what the server will read just to throw away
        byte[] huge = new byte[4 * 1024 * 1024];
        for (int i = 0; i < 5; i++) {
            HttpRequest post = HttpRequest.newBuilder(server.uri().resolve("/refuse"))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(huge)).build();
            // when: it is refused before being read
            try {
                HttpResponse<String> answer = client.send(post, HttpResponse.BodyHandlers.ofString());
                // then: the answer says the connection ends (a client may instead see the reset)
                assertThat(answer.statusCode()).isEqualTo(401);
                assertThat(answer.headers().firstValue("Connection")).hasValue("close");
            } catch (java.io.IOException reset) {
                // the server stopped reading: the kernel may reset before the client reads the answer
            }
            // and the client's next request goes over a new connection and is answered
            HttpRequest small = HttpRequest.newBuilder(server.uri().resolve("/refuse"))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            assertThat(client.send(small, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aClientWaitingToBeToldToContinueGetsTheAnswerAtOnceAndTheConnectionCloses() throws Exception {
        // given: a client that announces a small body and waits for "100 Continue" before sending it
        try (RawClient waiting = new RawClient(server.uri())) {
            waiting.send("POST /refuse HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Expect: 100-continue\r\nContent-Length: 1000\r\n\r\n");
            // when: the server refuses before reading
            String answer = waiting.readUntilClosed();
            // then: the refusal comes at once (the server does not ask for the body just to drop it) and says close
            assertThat(RawClient.status(answer)).isEqualTo(401);
            assertThat(answer).containsIgnoringCase("Connection: close");
            assertThat(waiting.secondsUntilClosed()).isLessThan(5.0);
        }
    }
}
