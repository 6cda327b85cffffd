package io.runstream.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.runstream.processor.StreamProcessor;

/**
 * The stream processor in a JVM of its own, configured through {@code RUNSTREAM_*} variables as an operator
 * would run it, so that it can be killed with SIGKILL and measured from outside (RSS from /proc, heap from its
 * /metrics).
 */
final class ProcessorChild {

    private static final Pattern HEALTH = Pattern.compile("^processor health\\s+(http://\\S+)", Pattern.MULTILINE);
    static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} (\\S+)$",
            Pattern.MULTILINE);
    private static final Pattern RSS = Pattern.compile("^VmRSS:\\s+(\\d+) kB", Pattern.MULTILINE);

    private final Process process;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ProcessorChild(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ProcessorChild start(Map<String, String> environment, List<String> jvmOptions, Path log)
            throws IOException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StreamProcessor.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("RUNSTREAM_"));
        builder.environment().putAll(environment);
        return new ProcessorChild(builder.start(), log);
    }

    /** Blocks until the child's readiness check passes (Kafka Streams RUNNING). */
    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("stream processor exited with " + process.exitValue() + "; see " + log);
            }
            URI base = baseUri();
            if (base != null && status(base.resolve("/health/ready")) == 200) {
                return;
            }
            Thread.sleep(250);
        }
        // no orphan left behind when the run gives up
        process.destroyForcibly();
        throw new IllegalStateException("stream processor not ready within " + timeout + "; see " + log);
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("stream processor " + process.pid() + " survived SIGKILL");
        }
    }

    long pid() {
        return process.pid();
    }

    /** Resident set size in bytes, from /proc (Linux), if the process is alive. */
    OptionalLong rssBytes() {
        try {
            Matcher m = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(process.pid()), "status")));
            return m.find() ? OptionalLong.of(Long.parseLong(m.group(1)) * 1024) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** Heap in use (all heap pools), from the child's own /metrics. */
    OptionalLong heapBytes() {
        return metricsText().map(body -> sum(body, HEAP)).orElse(OptionalLong.empty());
    }

    /** The child's Prometheus /metrics page, if it answers within 5 s. */
    Optional<String> metricsText() {
        URI base = baseUri();
        if (base == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(http.send(HttpRequest.newBuilder(base.resolve("/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The sum of every series a pattern's first group matches (the value), if any matches. */
    static OptionalLong sum(String metricsBody, Pattern series) {
        Matcher m = series.matcher(metricsBody);
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
            found = true;
        }
        return found ? OptionalLong.of((long) sum) : OptionalLong.empty();
    }

    private URI baseUri() {
        try {
            Matcher m = HEALTH.matcher(Files.readString(log, StandardCharsets.UTF_8));
            return m.find() ? URI.create(m.group(1)).resolve("/") : null;
        } catch (IOException e) {
            return null;
        }
    }

    private int status(URI uri) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }
}
