package io.runstream.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

/**
 * A real Prometheus or Alertmanager binary (Debian's packages on the PATH) run by a test: its own temporary
 * directory for config and storage, output to a log file there (shown when it fails to come up), waited for on
 * its readiness URL, and destroyed, with its directory, on close.
 */
final class PeerProcess implements AutoCloseable {

    private final String binary;
    private final Path directory;
    private final Process process;

    private PeerProcess(String binary, Path directory, Process process) {
        this.binary = binary;
        this.directory = directory;
        this.process = process;
    }

    /** Writes {@code config} to {@code <dir>/config.yml}; in {@code args}, {@code {dir}} is that directory. */
    static PeerProcess start(String binary, String config, List<String> args, URI readyUrl) {
        Path directory;
        try {
            directory = Files.createTempDirectory("runstream-" + binary + "-");
            Files.writeString(directory.resolve("config.yml"), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>();
        command.add(binary);
        args.forEach(arg -> command.add(arg.replace("{dir}", directory.toString())));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("output.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary + " (is it on the PATH?)", e);
        }
        PeerProcess peer = new PeerProcess(binary, directory, process);
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            Awaitility.await(binary + " ready at " + readyUrl).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(binary + " exited: " + peer.output());
                        }
                        return client.send(HttpRequest.newBuilder(readyUrl).timeout(Duration.ofSeconds(2)).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    });
        } catch (RuntimeException e) {
            String output = peer.output();
            peer.close();
            throw new IllegalStateException(binary + " did not become ready; its output:\n" + output, e);
        }
        return peer;
    }

    String output() {
        try {
            return Files.readString(directory.resolve("output.log"));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is not worth failing a test for.
        }
    }

    @Override
    public String toString() {
        return binary + " in " + directory;
    }
}
