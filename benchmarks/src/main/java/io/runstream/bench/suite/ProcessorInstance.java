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
 * One stream-processor instance with the built-in rules and runbooks, one stream thread per application, RocksDB
 * stores in a temporary state directory, configured as the stream processor configures it (reuse of KTable source
 * topics, dead letters): either the whole {@link RunstreamTopology} as one Kafka Streams application, or, split as
 * the processor runs by default ({@code streams.topology: split}), detection ({@code <applicationId>-detection})
 * and the incident stages ({@code <applicationId>}) as two, each with its own commit interval.
 */
final class ProcessorInstance implements AutoCloseable {

    private final KafkaStreams streams;
    /** Split: detection's application; single: null. */
    private final KafkaStreams detection;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Path stateDir;

    /** The whole topology as one application. */
    ProcessorInstance(EmbeddedKafkaBroker broker, TopicCatalog topics, String applicationId, String guarantee,
            int commitMs) throws IOException {
        stateDir = Files.createTempDirectory("runstream-bench-state-");
        Properties props = properties(broker, topics, applicationId, guarantee, commitMs);
        streams = new KafkaStreams(RunstreamTopology.build(topics, RulesFile.defaults(), RunbooksFiles.load(null),
                registry, props), props);
        detection = null;
    }

    /** Detection committing every {@code detectionCommitMs}, the incident stages every {@code incidentsCommitMs}. */
    ProcessorInstance(EmbeddedKafkaBroker broker, TopicCatalog topics, String applicationId, String guarantee,
            int detectionCommitMs, int incidentsCommitMs) throws IOException {
        stateDir = Files.createTempDirectory("runstream-bench-state-");
        Properties detectionProps = properties(broker, topics, applicationId + "-detection", guarantee,
                detectionCommitMs);
        detection = new KafkaStreams(RunstreamTopology.buildDetection(topics, RulesFile.defaults(), registry,
                detectionProps), detectionProps);
        Properties props = properties(broker, topics, applicationId, guarantee, incidentsCommitMs);
        streams = new KafkaStreams(RunstreamTopology.buildIncidents(topics, RulesFile.defaults(),
                RunbooksFiles.load(null), registry, props), props);
    }

    private Properties properties(EmbeddedKafkaBroker broker, TopicCatalog topics, String applicationId,
            String guarantee, int commitMs) {
        Properties props = broker.clientProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Integer.toString(commitMs));
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        RunstreamTopology.applySettings(props);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        DeadLetterConfig.apply(props, topics.deadLetters().name(), registry);
        return props;
    }

    static void provision(EmbeddedKafkaBroker broker, TopicCatalog topics) {
        try (Admin admin = Admin.create(broker.clientProperties())) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(topics.specs());
        }
    }

    ProcessorInstance start() {
        if (detection != null) {
            detection.start();
        }
        streams.start();
        return this;
    }

    /** The incident stages' application (single: the one application). */
    KafkaStreams streams() {
        return streams;
    }

    /** Each application's state, for a log line. */
    String state() {
        return detection == null ? streams.state().toString()
                : "detection " + detection.state() + ", incidents " + streams.state();
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
        return runningWithTasks(streams) && (detection == null || runningWithTasks(detection));
    }

    private static boolean runningWithTasks(KafkaStreams instance) {
        return instance.state() == KafkaStreams.State.RUNNING
                && instance.metadataForLocalThreads().stream().anyMatch(thread -> !thread.activeTasks().isEmpty());
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        if (detection != null) {
            detection.close(Duration.ofSeconds(30));
        }
        try (Stream<Path> paths = Files.walk(stateDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
