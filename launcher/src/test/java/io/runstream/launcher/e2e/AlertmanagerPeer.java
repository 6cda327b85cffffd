package io.runstream.launcher.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Debian's real Alertmanager ({@code prometheus-alertmanager} on the PATH) on a free loopback port, gossip off,
 * its config and storage in a test directory, routing every alert at once ({@code group_wait: 0s}) to the
 * ingest connector's webhook with a bearer token, resolved alerts too. The test posts alerts to it as Prometheus
 * does and reads the silences the action workers made.
 */
final class AlertmanagerPeer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final URI uri;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AlertmanagerPeer(Process process, URI uri, Path log) {
        this.process = process;
        this.uri = uri;
        this.log = log;
    }

    static AlertmanagerPeer start(Path dir, URI webhook, String bearerToken) throws IOException {
        Path config = Files.writeString(dir.resolve("alertmanager.yml"), """
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
                """.formatted(webhook, bearerToken));
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path log = dir.resolve("alertmanager.log");
        Process process = new ProcessBuilder("prometheus-alertmanager", "--config.file=" + config,
                "--storage.path=" + dir.resolve("alertmanager-data"), "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AlertmanagerPeer alertmanager = new AlertmanagerPeer(process, URI.create("http://127.0.0.1:" + port), log);
        try {
            await("alertmanager ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions().until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("alertmanager exited: " + alertmanager.output());
                        }
                        return alertmanager.get("/-/ready").statusCode() == 200;
                    });
        } catch (RuntimeException e) {
            alertmanager.close();
            throw e;
        }
        return alertmanager;
    }

    /** POST /api/v2/alerts as Prometheus does; an {@code endsAt} in the past resolves the alert. */
    void post(Map<String, String> labels, String summary, Instant startsAt, Instant endsAt) throws Exception {
        ObjectNode alert = JSON.createObjectNode();
        labels.forEach(alert.putObject("labels")::put);
        alert.putObject("annotations").put("summary", summary);
        alert.put("startsAt", startsAt.toString());
        if (endsAt != null) {
            alert.put("endsAt", endsAt.toString());
        }
        alert.put("generatorURL", "http://prometheus:9090/graph");
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri.resolve("/api/v2/alerts"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[" + alert + "]")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("alertmanager refused the alert: " + answer.statusCode() + " "
                    + answer.body());
        }
    }

    /** GET /api/v2/silences. */
    JsonNode silences() throws IOException, InterruptedException {
        return JSON.readTree(get("/api/v2/silences").body());
    }

    URI uri() {
        return uri;
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
