package io.runstream.testing.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.runstream.kafka.FreePorts;

/**
 * Debian's real Alertmanager ({@code prometheus-alertmanager} on the PATH) on a free loopback port, gossip off,
 * its configuration and storage in a directory of the caller's. Tests post alerts to it as Prometheus does
 * ({@link #post}) and read the silences made on it; benchmarks measure it.
 */
public final class AlertmanagerPeer implements AutoCloseable {

    /**
     * Every alert to a receiver without integrations: what Alertmanager does is its API v2 ingest (validation,
     * alert store, dispatcher aggregation groups) and its silences, nothing downstream.
     */
    public static final String BLACKHOLE_CONFIG = """
            route:
              receiver: blackhole
              group_by: [alertname, service]
              group_wait: 30s
              group_interval: 5m
            receivers:
              - name: blackhole
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PeerProcess process;
    private final URI uri;
    private final boolean temporary;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AlertmanagerPeer(PeerProcess process, URI uri, boolean temporary) {
        this.process = process;
        this.uri = uri;
        this.temporary = temporary;
    }

    /**
     * Routes every alert at once ({@code group_wait: 0s}), resolved ones too, to {@code webhook} with
     * {@code bearerToken}, as the ingest connector expects Alertmanager to be configured.
     */
    public static String webhookConfig(URI webhook, String bearerToken) {
        return """
                route:
                  receiver: runstream
                  group_by: [alertname, namespace, service]
                  group_wait: 0s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: runstream
                    webhook_configs:
                      - url: %s
                        send_resolved: true
                        http_config:
                          authorization: {type: Bearer, credentials: %s}
                """.formatted(webhook, bearerToken);
    }

    /** Starts Alertmanager with {@code configYaml} in {@code directory} and waits until it is ready. */
    public static AlertmanagerPeer start(Path directory, String configYaml) {
        return start(directory, configYaml, false);
    }

    /** As {@link #start}, in a temporary directory deleted on close (for runs outside a test's own directory). */
    public static AlertmanagerPeer startTemporary(String configYaml) {
        try {
            return start(Files.createTempDirectory("runstream-alertmanager-"), configYaml, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static AlertmanagerPeer start(Path directory, String configYaml, boolean temporary) {
        int port = FreePorts.pick();
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("alertmanager.yml"), configYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        URI uri = URI.create("http://127.0.0.1:" + port);
        PeerProcess process = PeerProcess.start("prometheus-alertmanager", directory, List.of(
                "--config.file=alertmanager.yml", "--storage.path=data", "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address="), uri.resolve("/-/ready"));
        return new AlertmanagerPeer(process, uri, temporary);
    }

    /** POST /api/v2/alerts as Prometheus does; an {@code endsAt} (null for none) in the past resolves the alert. */
    public void post(Map<String, String> labels, String summary, Instant startsAt, Instant endsAt)
            throws IOException, InterruptedException {
        ObjectNode alert = JSON.createObjectNode();
        labels.forEach(alert.putObject("labels")::put);
        alert.putObject("annotations").put("summary", summary);
        alert.put("startsAt", startsAt.toString());
        if (endsAt != null) {
            alert.put("endsAt", endsAt.toString());
        }
        alert.put("generatorURL", "http://prometheus:9090/graph");
        ArrayNode alerts = JSON.createArrayNode().add(alert);
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri.resolve("/api/v2/alerts"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(alerts.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("alertmanager refused the alert: " + answer.statusCode() + " "
                    + answer.body());
        }
    }

    /** GET /api/v2/silences. */
    public JsonNode silences() throws IOException, InterruptedException {
        return JSON.readTree(http.send(HttpRequest.newBuilder(uri.resolve("/api/v2/silences"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    public URI uri() {
        return uri;
    }

    public long pid() {
        return process.pid();
    }

    public String output() {
        return process.output();
    }

    @Override
    public void close() {
        process.close();
        if (temporary) {
            try (Stream<Path> paths = Files.walk(process.directory())) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a leftover temporary directory is harmless
            }
        }
    }

    @Override
    public String toString() {
        return "alertmanager at " + uri + " (" + process + ")";
    }
}
