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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * A real program that Runstream talks to (Debian's {@code prometheus}, {@code prometheus-alertmanager}) run as a
 * child process in a directory of its own: started there, its output logged to {@code output.log} in it (and
 * shown when it fails to come up), waited for on its readiness URL, and stopped on close. The one launcher of
 * peers: {@link AlertmanagerPeer} and {@link PrometheusPeer} are built on it.
 */
public final class PeerProcess implements AutoCloseable {

    private static final Duration READY_WITHIN = Duration.ofSeconds(60);

    private final String binary;
    private final Path directory;
    private final Process process;

    private PeerProcess(String binary, Path directory, Process process) {
        this.binary = binary;
        this.directory = directory;
        this.process = process;
    }

    /**
     * Runs {@code binary} with {@code args} in {@code directory} (relative paths in the arguments resolve there);
     * returns once {@code readyUrl} answers 200, or fails with the program's output.
     */
    public static PeerProcess start(String binary, Path directory, List<String> args, URI readyUrl) {
        List<String> command = new ArrayList<>(List.of(binary));
        command.addAll(args);
        Process process;
        try {
            Files.createDirectories(directory);
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("output.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary + " (is Debian's package installed? .ci/run "
                    + "installs it)", e);
        }
        PeerProcess peer = new PeerProcess(binary, directory, process);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            Awaitility.await(binary + " ready at " + readyUrl).atMost(READY_WITHIN)
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
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

    /** What the program has written to stdout and stderr so far. */
    public String output() {
        try {
            return Files.readString(directory.resolve("output.log"));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    public long pid() {
        return process.pid();
    }

    public Path directory() {
        return directory;
    }

    /** Stops the program: SIGTERM, then SIGKILL after 10 s. */
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

    @Override
    public String toString() {
        return binary + " in " + directory;
    }
}
