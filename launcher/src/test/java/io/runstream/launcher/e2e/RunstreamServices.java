package io.runstream.launcher.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.runstream.common.config.ConfigLoader;
import io.runstream.common.service.RunstreamService;
import io.runstream.ingest.IngestConnector;
import io.runstream.ingest.IngestConnectorConfig;
import io.runstream.processor.StreamProcessor;
import io.runstream.processor.StreamProcessorConfig;
import io.runstream.workers.ActionWorkers;
import io.runstream.workers.ActionWorkersConfig;

/**
 * The three Runstream services in this JVM, each built from a YAML configuration file over its shipped defaults
 * exactly as {@code --config FILE} does (no environment overrides, so the test is hermetic), started in
 * dependency order and closed in reverse.
 */
final class RunstreamServices implements AutoCloseable {

    private final Path configDir;
    private final String kafkaSection;
    private final List<RunstreamService> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Every service gets the same {@code kafka:} section: the test's broker, topic prefix and partitions. */
    RunstreamServices(Path configDir, String bootstrapServers, String topicPrefix, int partitions) {
        this.configDir = configDir;
        this.kafkaSection = "kafka: {bootstrapServers: \"%s\", topicPrefix: \"%s\", partitions: %d}\n"
                .formatted(bootstrapServers, topicPrefix, partitions);
    }

    IngestConnector startIngest(String yaml) throws IOException {
        return start(new IngestConnector(load(IngestConnectorConfig.class, IngestConnectorConfig.DEFAULTS,
                "ingest-connector", yaml)));
    }

    StreamProcessor startProcessor(String yaml) throws IOException {
        return start(new StreamProcessor(load(StreamProcessorConfig.class, StreamProcessorConfig.DEFAULTS,
                "stream-processor", yaml)));
    }

    ActionWorkers startWorkers(String yaml) throws IOException {
        return start(new ActionWorkers(load(ActionWorkersConfig.class, ActionWorkersConfig.DEFAULTS,
                "action-workers", yaml)));
    }

    /** Waits until every started service answers 200 on its readiness endpoint. */
    void awaitReady() {
        for (RunstreamService service : started) {
            URI ready = service.endpoints().entrySet().stream().filter(e -> e.getKey().endsWith("health"))
                    .map(Map.Entry::getValue).findFirst().orElseThrow();
            await(service.name() + " ready at " + ready).atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        }
    }

    private <T> T load(Class<T> type, String defaults, String name, String yaml) throws IOException {
        Path file = Files.writeString(configDir.resolve(name + ".yaml"), kafkaSection + yaml);
        return new ConfigLoader().load(type, defaults, file, Map.of());
    }

    private <S extends RunstreamService> S start(S service) {
        service.start();
        started.add(service);
        return service;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (RuntimeException e) {
                System.err.println(started.get(i).name() + " did not stop cleanly: " + e);
            }
        }
        started.clear();
    }
}
