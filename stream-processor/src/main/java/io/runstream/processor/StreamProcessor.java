package io.runstream.processor;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.runstream.common.http.ServiceHttpServer;
import io.runstream.common.kafka.Topics;
import io.runstream.common.service.Metrics;
import io.runstream.common.service.RunstreamService;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;

/** The Kafka Streams application, and the HTTP server that serves its state. */
public final class StreamProcessor implements RunstreamService {

    public static final String NAME = "stream-processor";

    private final StreamProcessorConfig config;
    private final PrometheusMeterRegistry registry = Metrics.newRegistry(NAME);
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;
    private ServiceHttpServer http;
    private Path temporaryStateDir;

    public StreamProcessor(StreamProcessorConfig config) {
        this.config = config;
    }

    public static void main(String[] args) {
        io.runstream.common.service.ServiceMain.run(args, StreamProcessorConfig.class, StreamProcessorConfig.DEFAULTS,
                StreamProcessor::new);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start() {
        TopicCatalog catalog = Topics.catalog(config.kafka(), RunstreamSerdes.avro());
        Topics.provision(config.kafka(), catalog);
        streams = new KafkaStreams(RunstreamTopology.build(catalog), streamsProperties());
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        streams.start();
        http = ServiceHttpServer.builder(NAME, config.http(), registry)
                .readiness(ServiceHttpServer.ReadinessCheck.of("streams", () ->
                        streams.state() == KafkaStreams.State.RUNNING ? null : "streams state " + streams.state()))
                .build()
                .start();
    }

    public KafkaStreams streams() {
        return streams;
    }

    private Properties streamsProperties() {
        Properties props = config.kafka().clientProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.streams().applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.streams().processingGuarantee());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(config.streams().commitInterval().toMillis()));
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Integer.toString(config.streams().numStandbyReplicas()));
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, Short.toString(config.kafka().replicationFactor()));
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir().toString());
        return props;
    }

    private Path stateDir() {
        if (!config.streams().stateDir().isBlank()) {
            return Path.of(config.streams().stateDir());
        }
        try {
            temporaryStateDir = Files.createTempDirectory("runstream-streams-");
            return temporaryStateDir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot create a state directory; set streams.stateDir", e);
        }
    }

    @Override
    public Map<String, URI> endpoints() {
        Map<String, URI> endpoints = new LinkedHashMap<>();
        endpoints.put("processor health", http.uri().resolve("/health/ready"));
        endpoints.put("processor metrics", http.uri().resolve("/metrics"));
        return endpoints;
    }

    @Override
    public synchronized void close() {
        if (http != null) {
            http.close();
            http = null;
        }
        if (streams != null) {
            streams.close(Duration.ofSeconds(30));
            streamsMetrics.close();
            streams = null;
        }
        if (temporaryStateDir != null) {
            deleteRecursively(temporaryStateDir);
            temporaryStateDir = null;
        }
    }

    private static void deleteRecursively(Path root) {
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (java.io.IOException e) {
            // Only a temporary directory; the OS cleans it up eventually.
        }
    }
}
