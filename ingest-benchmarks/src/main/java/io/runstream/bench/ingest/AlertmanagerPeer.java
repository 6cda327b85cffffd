package io.runstream.bench.ingest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.runstream.kafka.FreePorts;

/**
 * Debian's Alertmanager ({@code prometheus-alertmanager} on the PATH) on a free loopback port, gossip off, its
 * storage in a temporary directory. By default it routes every alert to a receiver that sends nothing, so what
 * is measured is its API v2 ingest (validation, alert store, dispatcher aggregation groups), not a downstream
 * receiver; a caller measuring its notifications passes a configuration of its own.
 */
public final class AlertmanagerPeer implements AutoCloseable {

    /** Every alert to a receiver without integrations: ingest only. */
    public static final String BLACKHOLE_CONFIG = """
            route:
              receiver: blackhole
              group_by: [alertname, service]
              group_wait: 30s
              group_interval: 5m
            receivers:
              - name: blackhole
            """;

    private final Path directory;
    private final Process process;
    private final URI uri;

    AlertmanagerPeer() throws IOException, InterruptedException {
        this(BLACKHOLE_CONFIG);
    }

    /** Starts Alertmanager with {@code configYaml} as its configuration file and waits until it is ready. */
    public AlertmanagerPeer(String configYaml) throws IOException, InterruptedException {
        directory = Files.createTempDirectory("runstream-bench-alertmanager-");
        Files.writeString(directory.resolve("config.yml"), configYaml);
        int port = FreePorts.pick();
        uri = URI.create("http://127.0.0.1:" + port);
        process = new ProcessBuilder(List.of("prometheus-alertmanager", "--config.file=" + directory.resolve("config.yml"),
                "--storage.path=" + directory.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=")).redirectErrorStream(true)
                .redirectOutput(directory.resolve("output.log").toFile()).start();
        awaitReady();
    }

    public long pid() {
        return process.pid();
    }

    public URI uri() {
        return uri;
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("alertmanager exited: " + Files.readString(directory.resolve("output.log")));
            }
            try {
                if (client.send(HttpRequest.newBuilder(uri.resolve("/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200); // polling a child process's readiness; nothing to wait on instead
        }
        throw new IllegalStateException("alertmanager not ready within 60 s");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
