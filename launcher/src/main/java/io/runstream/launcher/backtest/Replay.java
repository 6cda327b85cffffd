package io.runstream.launcher.backtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.Incident;
import io.runstream.processor.RunstreamTopology;
import io.runstream.processor.StateStores;
import io.runstream.processor.errors.DeadLetterConfig;
import io.runstream.processor.rules.RulesFile;
import io.runstream.processor.runbook.Runbooks;
import io.runstream.schemas.TopicCatalog;

/**
 * Runs one configuration over recorded history through the stream processor's own topology
 * ({@link RunstreamTopology#build}) in a {@link TopologyTestDriver}: no broker, nothing written to any live topic,
 * no action executed (the commands are only collected). Its clock is the records' own: before each record the
 * driver's wall clock advances to the record's timestamp in steps of at most a second, so the wall-clock
 * punctuators (detection's evaluation of silent services, escalation and recovery timers) fire at the moments
 * they would have fired live, as fast as the machine runs.
 */
public final class Replay {

    /** The correlation stage's timer scan interval: a coarser step could fire a due timer late. */
    static final Duration STEP = Duration.ofSeconds(1);
    private static final int DRAIN_EVERY = 10_000;

    private Replay() {
    }

    /** What one configuration did over the history. */
    public record Outcome(String name, List<ReplayedIncident> incidents, List<ActionCommand> commands,
            long deadLetters, long records, Map<String, Long> recordsByTopic, Duration took, Duration cpu) {
    }

    /** An incident's last state, with the highest severity it reached. */
    public record ReplayedIncident(Incident last, io.runstream.avro.Severity highestSeverity) {
    }

    public static Outcome run(String name, RecordedHistory history, TopicCatalog topics, RulesFile rules,
            Runbooks runbooks, Instant from, Instant to) {
        return run(name, history, topics, rules, runbooks, from, to, DirectFeed.available());
    }

    /** {@code direct}: feed the records with {@link DirectFeed}, else with the driver's public {@code pipeInput}. */
    static Outcome run(String name, RecordedHistory history, TopicCatalog topics, RulesFile rules, Runbooks runbooks,
            Instant from, Instant to, boolean direct) {
        long started = System.nanoTime();
        // CPU time as well as wall time: on a machine shared with other work, wall time says more about the others
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStarted = threads.getCurrentThreadCpuTime();
        Path stateDir = tempDir(name);
        Properties props = new Properties();
        // an application id and a state directory of its own: two replays never share state with each other or
        // with a live processor on this machine
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "runstream-backtest-" + name);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "backtest.invalid:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        RunstreamTopology.applySettings(props);
        // the run's state is thrown away with it: heap stores without changelogs spare every record a RocksDB
        // write and a changelog record (which the test driver would capture and route like any output)
        StateStores.set(props, StateStores.Kind.IN_MEMORY);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DeadLetterConfig.apply(props, topics.deadLetters().name(), registry);
        Collector collector = new Collector();
        long piped;
        Map<String, Long> recordsByTopic;
        try (TopologyTestDriver driver = new TopologyTestDriver(
                RunstreamTopology.build(topics, rules, runbooks, registry, props), props, from)) {
            TestOutputTopic<String, Incident> incidents = driver.createOutputTopic(topics.incidents().name(),
                    topics.incidents().keySerde().deserializer(), topics.incidents().valueSerde().deserializer());
            TestOutputTopic<String, ActionCommand> commands = driver.createOutputTopic(
                    topics.actionCommands().name(), topics.actionCommands().keySerde().deserializer(),
                    topics.actionCommands().valueSerde().deserializer());
            TestOutputTopic<byte[], byte[]> deadLetters = driver.createOutputTopic(topics.deadLetters().name(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer());
            Piping piping = new Piping(driver, direct, from.toEpochMilli());
            history.forEach(record -> {
                piping.pipe(record);
                if (piping.piped % DRAIN_EVERY == 0) {
                    collector.drain(incidents, commands, deadLetters);
                }
            });
            // the timers still due inside the range fire, e.g. the escalation after the last record
            piping.advance(to.toEpochMilli());
            collector.drain(incidents, commands, deadLetters);
            piped = piping.piped;
            recordsByTopic = piping.byTopic;
        } finally {
            deleteRecursively(stateDir);
        }
        return new Outcome(name, collector.incidents(), collector.commands, collector.deadLetters, piped,
                recordsByTopic, Duration.ofNanos(System.nanoTime() - started),
                Duration.ofNanos(threads.getCurrentThreadCpuTime() - cpuStarted));
    }

    /** The records going into one driver, with the driver's clock. */
    private static final class Piping {
        final TopologyTestDriver driver;
        final boolean direct;
        final Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();
        final Map<String, TopicPartition> partitions = new HashMap<>();
        final Map<String, Long> byTopic = new TreeMap<>();
        long clock;
        long piped;

        Piping(TopologyTestDriver driver, boolean direct, long clock) {
            this.driver = driver;
            this.direct = direct;
            this.clock = clock;
        }

        void pipe(RecordedHistory.Recorded record) {
            advance(record.timestamp());
            TopicPartition partition = direct ? partitions.get(record.topic()) : null;
            if (partition != null) {
                DirectFeed.pipe(driver, partition, record.key(), record.value(), record.timestamp());
            } else {
                // a topic's first record goes through pipeInput's check, which refuses a topic the topology does
                // not read; the direct feed takes the rest
                inputs.computeIfAbsent(record.topic(), topic -> driver.createInputTopic(topic,
                        new ByteArraySerializer(), new ByteArraySerializer()))
                        .pipeInput(new TestRecord<>(record.key(), record.value(), null, record.timestamp()));
                partitions.put(record.topic(), new TopicPartition(record.topic(), 0));
            }
            byTopic.merge(record.topic(), 1L, Long::sum);
            piped++;
        }

        /** Advances the driver's wall clock to {@code target}, a step at a time. */
        void advance(long target) {
            // whole steps only: advancing the driver commits, and a commit per record would cost more than the record
            while (target - clock >= STEP.toMillis()) {
                driver.advanceWallClockTime(STEP);
                clock += STEP.toMillis();
            }
        }
    }

    /** Drains the output topics as the replay goes, so that they never hold the whole run's output. */
    private static final class Collector {
        final Map<String, ReplayedIncident> incidents = new LinkedHashMap<>();
        final List<ActionCommand> commands = new ArrayList<>();
        long deadLetters;

        void drain(TestOutputTopic<String, Incident> incidentTopic, TestOutputTopic<String, ActionCommand> commandTopic,
                TestOutputTopic<byte[], byte[]> deadLetterTopic) {
            for (TestRecord<String, Incident> record : incidentTopic.readRecordsToList()) {
                Incident incident = record.value();
                if (incident == null) {
                    continue; // retention's tombstone: the last state stays the one to report
                }
                ReplayedIncident before = incidents.get(incident.getId());
                io.runstream.avro.Severity highest = before == null
                        || incident.getSeverity().ordinal() < before.highestSeverity().ordinal()
                        ? incident.getSeverity() : before.highestSeverity();
                incidents.put(incident.getId(), new ReplayedIncident(incident, highest));
            }
            commandTopic.readValuesToList().forEach(commands::add);
            deadLetters += deadLetterTopic.readRecordsToList().size();
        }

        List<ReplayedIncident> incidents() {
            return incidents.values().stream()
                    .sorted(Comparator.comparing((ReplayedIncident i) -> i.last().getOpenedAt())).toList();
        }
    }

    private static Path tempDir(String name) {
        try {
            return Files.createTempDirectory("runstream-backtest-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory for the backtest", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is not worth failing the report for
        }
    }
}
