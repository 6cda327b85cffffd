package io.runstream.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runstream.kafka.EmbeddedKafkaBroker;
import io.runstream.processor.RunstreamTopology;
import io.runstream.processor.errors.DeadLetterConfig;
import io.runstream.processor.rules.RulesFile;
import io.runstream.processor.rules.RunbooksFiles;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicProvisioner;

/**
 * One stream-processor instance: the whole {@link RunstreamTopology} with the built-in rules and runbooks on one
 * Kafka Streams instance with one stream thread, RocksDB stores in a temporary state directory, configured as
 * the stream processor configures it (reuse of KTable source topics, dead letters).
 */
final class ProcessorInstance implements AutoCloseable {

    private final KafkaStreams streams;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Path stateDir;

    ProcessorInstance(EmbeddedKafkaBroker broker, TopicCatalog topics, String applicationId, String guarantee,
            int commitMs) throws IOException {
        stateDir = Files.createTempDirectory("runstream-bench-state-");
        Properties props = broker.clientProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Integer.toString(commitMs));
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        RunstreamTopology.applySettings(props);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        DeadLetterConfig.apply(props, topics.deadLetters().name(), registry);
        streams = new KafkaStreams(RunstreamTopology.build(topics, RulesFile.defaults(), RunbooksFiles.load(null),
                registry, props), props);
    }

    static void provision(EmbeddedKafkaBroker broker, TopicCatalog topics) {
        try (Admin admin = Admin.create(broker.clientProperties())) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(topics.specs());
        }
    }

    ProcessorInstance start() {
        streams.start();
        return this;
    }

    KafkaStreams streams() {
        return streams;
    }

    /** Metric samples detection has evaluated so far on this instance. */
    double samplesProcessed() {
        return registry.get("runstream.detection.samples.processed").counter().count();
    }

    /** Incidents the correlation stage has opened so far on this instance. */
    double incidentsOpened() {
        return registry.get("runstream_incidents").tag("transition", "opened").counter().count();
    }

    /** True once RUNNING with at least one active task: the instance has taken its share of the work. */
    boolean runningWithTasks() {
        return streams.state() == KafkaStreams.State.RUNNING
                && streams.metadataForLocalThreads().stream().anyMatch(thread -> !thread.activeTasks().isEmpty());
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        try (Stream<Path> paths = Files.walk(stateDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
