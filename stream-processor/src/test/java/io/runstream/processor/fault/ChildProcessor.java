package io.runstream.processor.fault;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.runstream.processor.StreamProcessor;

/**
 * The stream processor as a separate JVM, started the way an operator runs it alone ({@code main} with
 * {@code RUNSTREAM_*} variables), so that a test can kill it with SIGKILL: no shutdown hook, no flush, no
 * transaction commit or abort, exactly what a crashed pod or an OOM kill leaves behind.
 */
final class ChildProcessor implements AutoCloseable {

    private static final Pattern HEALTH = Pattern.compile("^processor health\\s+(http://\\S+)", Pattern.MULTILINE);

    private final Process process;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ChildProcessor(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts a JVM running the stream processor with this environment; its output goes to {@code log}. */
    static ChildProcessor start(Map<String, String> environment, Path log) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx384m", "-cp",
                System.getProperty("java.class.path"), StreamProcessor.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("RUNSTREAM_"));
        builder.environment().putAll(environment);
        try {
            return new ChildProcessor(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the stream processor JVM", e);
        }
    }

    /** Waits until the child's Kafka Streams is RUNNING (its readiness check), or fails with its output. */
    void awaitReady(Duration timeout) {
        await("stream processor child ready; output in " + log).atMost(timeout).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("stream processor child exited with " + process.exitValue()
                                + ":\n" + output());
                    }
                    return baseUri().map(base -> status(base.resolve("/health/ready")) == 200).orElse(false);
                });
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("stream processor child " + process.pid() + " survived SIGKILL");
        }
    }

    long pid() {
        return process.pid();
    }

    Optional<URI> baseUri() {
        Matcher matcher = HEALTH.matcher(output());
        return matcher.find() ? Optional.of(URI.create(matcher.group(1)).resolve("/")) : Optional.empty();
    }

    private int status(URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<cannot read " + log + ": " + e + ">";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
