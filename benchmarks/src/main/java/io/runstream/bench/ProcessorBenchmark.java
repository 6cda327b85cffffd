package io.runstream.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runstream.avro.MetricSample;
import io.runstream.kafka.EmbeddedKafkaBroker;
import io.runstream.processor.RunstreamTopology;
import io.runstream.processor.errors.DeadLetterConfig;
import io.runstream.processor.rules.RulesFile;
import io.runstream.processor.rules.RunbooksFiles;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.Topic;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicProvisioner;
import io.runstream.schemas.TopicSettings;

/**
 * Metric samples per second through the whole topology (detection, dedup, correlation, read side) on one
 * instance against a real broker, with exactly_once_v2 and with at_least_once, each beside the broker's own
 * produce and consume rate for the same records on the same machine.
 *
 * <p>Options: {@code --samples N} (default 400000), {@code --services N} (100), {@code --runs N} (3),
 * {@code --partitions N} (6), {@code --commit-ms N} (100, as the stream processor's default), {@code --threads N}
 * (stream threads, 1), {@code --out FILE} (results JSON, default docs/benchmarks/processor.json).
 */
public final class ProcessorBenchmark {

    private static final Duration MEASURE_AT_MOST = Duration.ofMinutes(3);
    private static final String SPLIT = "split";

    private ProcessorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path brokerDir = Files.createTempDirectory("runstream-bench-kafka-");
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDirectory(brokerDir).build().start()) {
            for (int run = 1; run <= options.runs; run++) {
                for (String guarantee : List.of("exactly_once_v2", "at_least_once")) {
                    RunResult result = runOnce(broker, options, guarantee);
                    rates.computeIfAbsent("broker produce", k -> new ArrayList<>()).add(result.produceRate);
                    rates.computeIfAbsent("broker consume", k -> new ArrayList<>()).add(result.consumeRate);
                    rates.computeIfAbsent(guarantee, k -> new ArrayList<>()).add(result.processRate);
                    System.out.printf("run %d %-16s produce %,10.0f/s  consume %,10.0f/s  topology %,9.0f samples/s%n",
                            run, guarantee, result.produceRate, result.consumeRate, result.processRate);
                }
            }
        }
        Report.print(rates, options);
        Report.write(rates, options);
    }

    /**
     * One run of one processing guarantee on {@code broker}: {@code samples} samples of 100 services produced, read
     * back raw, then processed by one instance with one stream thread.
     */
    public static RunResult runOnce(EmbeddedKafkaBroker broker, int samples, int commitMs, String guarantee,
            String topology, MeasuredWindow window) throws Exception {
        return runOnce(broker, new Options(samples, 100, 1, 6, commitMs, 1, null, topology), guarantee, window);
    }

    /** Told when the topology's measured window opens (first sample processed) and closes; e.g. to profile it. */
    public interface MeasuredWindow {
        MeasuredWindow NONE = new MeasuredWindow() {
        };

        default void opened() {
        }

        default void closed() {
        }
    }

    private static RunResult runOnce(EmbeddedKafkaBroker broker, Options options, String guarantee) throws Exception {
        return runOnce(broker, options, guarantee, MeasuredWindow.NONE);
    }

    private static RunResult runOnce(EmbeddedKafkaBroker broker, Options options, String guarantee,
            MeasuredWindow window) throws Exception {
        String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        TopicCatalog topics = new TopicCatalog(new TopicSettings(prefix, options.partitions, (short) 1),
                RunstreamSerdes.avro());
        try (Admin admin = Admin.create(broker.clientProperties())) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(topics.specs());
        }
        double produceRate = produce(broker, topics.metricSamples(), options);
        double consumeRate = consume(broker, topics.metricSamples(), options.samples);
        double processRate = process(broker, topics, guarantee, options, window);
        return new RunResult(produceRate, consumeRate, processRate);
    }

    /** The broker's own produce rate for these records: idempotent, acks=all, as the connector produces. */
    private static double produce(EmbeddedKafkaBroker broker, Topic<String, MetricSample> topic, Options options) {
        Properties props = broker.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        SampleLoad load = new SampleLoad(options.services, Instant.now().minus(Duration.ofDays(2)));
        // Records are built before the clock starts: the figure is the broker's, not the generator's.
        List<MetricSample> samples = new ArrayList<>(options.samples);
        for (int step = 0; samples.size() < options.samples; step++) {
            for (MetricSample sample : load.step(step)) {
                if (samples.size() < options.samples) {
                    samples.add(sample);
                }
            }
        }
        try (KafkaProducer<String, MetricSample> producer = new KafkaProducer<>(props, topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            long start = System.nanoTime();
            for (MetricSample sample : samples) {
                producer.send(new ProducerRecord<>(topic.name(), null, sample.getTimestamp().toEpochMilli(),
                        sample.getService(), sample));
            }
            producer.flush();
            return options.samples / seconds(start);
        }
    }

    /** The broker's own consume rate for the same records, read_committed as Kafka Streams reads under EOS. */
    private static double consume(EmbeddedKafkaBroker broker, Topic<String, MetricSample> topic, int expected) {
        Properties props = broker.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long start = System.nanoTime();
            long deadline = start + Duration.ofMinutes(2).toNanos();
            int read = 0;
            while (read < expected) {
                read += consumer.poll(Duration.ofMillis(500)).count();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("read " + read + " of " + expected + " records in 2 minutes");
                }
            }
            return read / seconds(start);
        }
    }

    /** Samples per second through the topology, from its first processed sample to its last. */
    private static double process(EmbeddedKafkaBroker broker, TopicCatalog topics, String guarantee, Options options,
            MeasuredWindow window) throws Exception {
        int expected = options.samples;
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Path stateDir = Files.createTempDirectory("runstream-bench-state-");
        Properties props = broker.clientProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-" + UUID.randomUUID());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Integer.toString(options.commitMs));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(options.threads));
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        RunstreamTopology.applySettings(props);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        DeadLetterConfig.apply(props, topics.deadLetters().name(), registry);
        // Split, samples go to detection's application alone; single, to the whole topology.
        Topology topology = SPLIT.equals(options.topology)
                ? RunstreamTopology.buildDetection(topics, RulesFile.defaults(), registry, props)
                : RunstreamTopology.build(topics, RulesFile.defaults(), RunbooksFiles.load(null), registry, props);
        try (KafkaStreams streams = new KafkaStreams(topology, props)) {
            streams.start();
            var processed = registry.get("runstream.detection.samples.processed").counter();
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (processed.count() < 1) {
                pause(deadline);
            }
            long start = System.nanoTime();
            window.opened();
            // On a machine too busy to finish, the rate so far after 3 minutes, rather than no figure at all.
            long measureUntil = start + MEASURE_AT_MOST.toNanos();
            while (processed.count() < expected && System.nanoTime() < measureUntil) {
                pause(deadline);
            }
            window.closed();
            if (processed.count() < expected) {
                System.out.printf("%s: %.0f of %d samples processed in %s; the rate is of those%n", guarantee,
                        processed.count(), expected, MEASURE_AT_MOST);
            }
            return processed.count() / seconds(start);
        } finally {
            deleteRecursively(stateDir);
        }
    }

    private static void pause(long deadline) throws InterruptedException {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the topology did not finish within 5 minutes");
        }
        // A benchmark poll of a counter, not a test wait: 5 ms granularity is well below the run length.
        Thread.sleep(5);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void deleteRecursively(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** Per second: the broker's produce and raw read_committed consume of the samples, and the topology's rate. */
    public record RunResult(double produceRate, double consumeRate, double processRate) {
    }

    /**
     * {@code topology}: {@code split} measures detection's application, what samples go through when the processor
     * runs {@code streams.topology: split}; {@code single} the whole topology as one application.
     */
    record Options(int samples, int services, int runs, int partitions, int commitMs, int threads, Path out,
            String topology) {

        Options {
            if (!SPLIT.equals(topology) && !"single".equals(topology)) {
                throw new IllegalArgumentException("--topology is split or single, was " + topology);
            }
        }

        static Options parse(String[] args) {
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                if (!args[i].startsWith("--")) {
                    throw new IllegalArgumentException("expected --option value, got " + args[i]);
                }
                values.put(args[i].substring(2), args[i + 1]);
            }
            return new Options(Integer.parseInt(values.getOrDefault("samples", "400000")),
                    Integer.parseInt(values.getOrDefault("services", "100")),
                    Integer.parseInt(values.getOrDefault("runs", "3")),
                    Integer.parseInt(values.getOrDefault("partitions", "6")),
                    Integer.parseInt(values.getOrDefault("commit-ms", "100")),
                    Integer.parseInt(values.getOrDefault("threads", "1")),
                    Path.of(values.getOrDefault("out", "docs/benchmarks/processor.json")),
                    values.getOrDefault("topology", SPLIT));
        }
    }
}
