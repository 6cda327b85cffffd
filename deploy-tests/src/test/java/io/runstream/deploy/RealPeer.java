package io.runstream.deploy;

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
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * Debian's prometheus or prometheus-alertmanager, started by a test in a directory of its own (config, storage,
 * output log), waited for on its readiness URL, and stopped on close.
 */
final class RealPeer implements AutoCloseable {

    private final String binary;
    private final Path directory;
    private final Process process;

    private RealPeer(String binary, Path directory, Process process) {
        this.binary = binary;
        this.directory = directory;
        this.process = process;
    }

    /** Runs {@code binary} with {@code args} in {@code directory}; ready once {@code readyUrl} answers 200. */
    static RealPeer start(String binary, Path directory, List<String> args, URI readyUrl) {
        List<String> command = new ArrayList<>(List.of(binary));
        command.addAll(args);
        Process process;
        try {
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("output.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary + " (.ci/run installs Debian's package)", e);
        }
        RealPeer peer = new RealPeer(binary, directory, process);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            Awaitility.await(binary + " ready at " + readyUrl).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
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
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return binary + " in " + directory;
    }
}
