package io.runstream.workers.alertmanager;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real Alertmanager (Debian's prometheus-alertmanager) on a free loopback port with its own storage and
 * gossip off, for tests; {@link #close()} stops it.
 */
final class AlertmanagerProcess implements AutoCloseable {

    private static final String CONFIG = """
            route:
              receiver: blackhole
            receivers:
              - name: blackhole
            """;

    private final Process process;
    private final URI uri;

    private AlertmanagerProcess(Process process, URI uri) {
        this.process = process;
        this.uri = uri;
    }

    static AlertmanagerProcess start(Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("alertmanager.yml"), CONFIG);
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder("prometheus-alertmanager", "--config.file=" + config,
                "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=").redirectErrorStream(true)
                .redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
        AlertmanagerProcess alertmanager = new AlertmanagerProcess(process, URI.create("http://127.0.0.1:" + port));
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("alertmanager exited: " + Files.readString(dir.resolve(
                        "alertmanager.log")));
            }
            return http.send(HttpRequest.newBuilder(alertmanager.uri.resolve("/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        });
        return alertmanager;
    }

    URI uri() {
        return uri;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
