package io.runstream.bench.suite;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.runstream.testing.peers.AlertmanagerPeer;

/**
 * The peer's alert-to-notification latency: the same HighLatency alerts, one service each, posted to Debian's
 * Alertmanager 0.25 API v2 at the same rate, grouped by service with {@code group_wait: 0s} so each alert is
 * its own group and is notified at once; timed when Alertmanager's webhook reaches a local HTTP server.
 */
final class AlertmanagerLatency {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertmanagerLatency() {
    }

    static LatencySummary measure(SuiteSettings settings, Consumer<String> log) throws Exception {
        PacedAlerts alerts = new PacedAlerts();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        receiver.createContext("/hook", exchange -> onWebhook(exchange, alerts));
        receiver.start();
        try (AlertmanagerPeer alertmanager = AlertmanagerPeer.startTemporary(
                config(receiver.getAddress().getPort()))) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI api = alertmanager.uri().resolve("/api/v2/alerts");
            alerts.send(client, settings.latencyAlertsPerSecond(), settings.latencyWarmup(),
                    settings.latencyMeasured(), "am-svc-", service -> EndToEndLatency.post(api,
                            "[{\"labels\":" + EndToEndLatency.labels(service)
                                    + ",\"annotations\":{\"summary\":\"p95 above 1 s\"},\"startsAt\":\""
                                    + Instant.now() + "\",\"generatorURL\":\"http://prometheus:9090/graph\"}]"));
            try {
                Waits.until(alerts::allMeasuredArrived, Duration.ofSeconds(20), "every measured notification");
            } catch (IllegalStateException missing) {
                log.accept("not every notification arrived within 20 s; the missing ones are reported");
            }
        } finally {
            receiver.stop(0);
        }
        LatencySummary summary = alerts.summary();
        log.accept("Alertmanager alert -> webhook (group_wait 0s): " + summary
                + (alerts.failedRequests() > 0 ? ", " + alerts.failedRequests() + " failed requests" : ""));
        return summary;
    }

    private static String config(int receiverPort) {
        return """
                route:
                  receiver: bench
                  group_by: [service]
                  group_wait: 0s
                  group_interval: 5m
                  repeat_interval: 4h
                receivers:
                  - name: bench
                    webhook_configs:
                      - url: http://127.0.0.1:%d/hook
                        send_resolved: false
                """.formatted(receiverPort);
    }

    private static void onWebhook(HttpExchange exchange, PacedAlerts alerts) throws IOException {
        long now = System.nanoTime();
        try (InputStream body = exchange.getRequestBody()) {
            JsonNode notification = JSON.readTree(body);
            for (JsonNode alert : notification.path("alerts")) {
                alerts.arrived(alert.path("labels").path("service").asText(), now);
            }
        }
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
    }
}
