package io.runstream.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.runstream.testing.load.Pacer;

/**
 * Alertmanager as the connector sees it, at a steady pace: every {@code period} one webhook notification of a
 * single firing HighLatency alert whose fingerprint and service are unique to that request (its marker), so
 * what reached Kafka can be counted per request. It does not retry: each answer is recorded as it came.
 */
final class WebhookSender implements AutoCloseable {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI webhook;
    private final String token;
    private final Map<String, Integer> statusByMarker = new ConcurrentHashMap<>();
    private final Pacer pacer;

    private WebhookSender(URI webhook, String token, Duration period) {
        this.webhook = webhook;
        this.token = token;
        // fixed delay, not rate: while the broker is down each request waits out the produce timeout
        this.pacer = Pacer.withFixedDelay("webhook-sender", period, this::sendOne);
    }

    /** Sends to {@code webhook} with {@code token}, a request every {@code period}, from now on. */
    static WebhookSender start(URI webhook, String token, Duration period) {
        return new WebhookSender(webhook, token, period);
    }

    void stop() throws InterruptedException {
        pacer.stop();
    }

    /** Each request's marker (its alert's fingerprint) and the status it got; -1 when nothing answered. */
    Map<String, Integer> answers() {
        return Map.copyOf(statusByMarker);
    }

    long count(int status) {
        return statusByMarker.values().stream().filter(s -> s == status).count();
    }

    static String serviceOf(String marker) {
        return "svc-" + marker;
    }

    private void sendOne(int tick) {
        String marker = "restart" + String.format("%08d", tick + 1);
        String body = """
                {"version":"4","status":"firing","receiver":"runstream","groupKey":"{}","truncatedAlerts":0,
                 "groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://alertmanager:9093",
                 "alerts":[{"status":"firing","labels":{"alertname":"HighLatency","severity":"warning",
                   "service":"%s","namespace":"ml-prod"},"annotations":{"summary":"p95 above 1 s"},
                   "startsAt":"%s","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"%s"}]}
                """.formatted(serviceOf(marker), Instant.now(), marker);
        HttpRequest request = HttpRequest.newBuilder(webhook).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        int status;
        try {
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            status = -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        statusByMarker.put(marker, status);
    }

    @Override
    public void close() {
        pacer.close();
    }
}
