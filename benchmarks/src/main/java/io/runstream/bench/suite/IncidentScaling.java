package io.runstream.bench.suite;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runstream.avro.Alert;
import io.runstream.avro.AlertSource;
import io.runstream.avro.AlertStatus;
import io.runstream.processor.RunstreamTopology;
import io.runstream.processor.errors.DeadLetterConfig;
import io.runstream.processor.rules.RulesFile;
import io.runstream.processor.rules.RunbooksFiles;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;

/**
 * What an open incident costs as their number grows: the whole topology in a TopologyTestDriver (no broker, so
 * neither the network nor other load is in the figures), one HighLatency alert per service opening one incident
 * each (each schedules its escalation timers and starts its runbook). At each level: the time of one
 * wall-clock punctuation with nothing due (the escalation and recovery timers' scan; detection's punctuators
 * have no services and cost next to nothing), the time of one punctuation that finds due timers (status
 * updates a day later; at most 1,000 fire per punctuation), heap retained per incident after a full GC, and
 * state store entries per incident. Loading a level is bounded in time; a level cut short is measured at the
 * number of incidents actually open, which the figures carry.
 */
final class IncidentScaling {

    private static final Duration STATUS_UPDATES_DUE = Duration.ofHours(25);
    private static final Duration LOAD_AT_MOST = Duration.ofMinutes(3);

    /** One level's figures. */
    record Level(int openIncidents, double idlePunctuationMicrosMedian, double idlePunctuationMicrosP99,
            double duePunctuationMillis, int timersFired, double heapBytesPerIncident, double storeEntriesPerIncident,
            double alertsPerSecondLoaded) {
    }

    /** Catching up on timers due at once: 100,000 incidents' notices, 1,000 a punctuation, with room. */
    private static final int MAX_CATCH_UP = 200;

    private IncidentScaling() {
    }

    static List<Level> measure(List<Integer> levels, int punctuations, Consumer<String> log) throws IOException {
        long emptyStoreEntries;
        try (Driver empty = new Driver()) {
            empty.driver.advanceWallClockTime(Duration.ofSeconds(1));
            emptyStoreEntries = empty.storeEntries();
        }
        List<Level> results = new ArrayList<>();
        for (int incidents : levels) {
            Level level = measureLevel(incidents, punctuations, emptyStoreEntries);
            log.accept(String.format(Locale.ROOT, "%,d open incidents: idle punctuation median %.0f us, p99 %.0f us;"
                    + " punctuation firing %d due timers %.1f ms; heap %.0f B/incident, %.1f store entries/incident"
                    + " (loaded at %,.0f alerts/s)", level.openIncidents(), level.idlePunctuationMicrosMedian(),
                    level.idlePunctuationMicrosP99(), level.timersFired(), level.duePunctuationMillis(),
                    level.heapBytesPerIncident(), level.storeEntriesPerIncident(), level.alertsPerSecondLoaded()));
            results.add(level);
        }
        return results;
    }

    private static Level measureLevel(int target, int punctuations, long emptyStoreEntries) throws IOException {
        try (Driver fixture = new Driver()) {
            long heapBefore = heapAfterGc();
            long start = System.nanoTime();
            // Bounded: on a machine too busy to open them all in time, the level is measured at what was opened.
            long loadUntil = start + LOAD_AT_MOST.toNanos();
            int loaded = 0;
            while (loaded < target && System.nanoTime() < loadUntil) {
                fixture.alerts.pipeInput(fingerprint(loaded), alert(loaded, fixture.start), fixture.start);
                loaded++;
                if (loaded % 1000 == 0) {
                    fixture.drainOutputs();
                }
            }
            fixture.drainOutputs();
            int incidents = loaded;
            double loadRate = incidents / Waits.secondsSince(start);
            long opened = Math.round(fixture.registry.get("runstream_incidents").tag("transition", "opened")
                    .counter().count());
            if (opened != incidents) {
                throw new IllegalStateException("expected " + incidents + " open incidents, the topology opened "
                        + opened);
            }
            // Each new incident's first notice is a timer due at once, and a punctuation fires at most 1,000: let
            // them all fire before timing punctuations that have nothing due (100,000 incidents need 100 of them).
            int catchUp = 0;
            do {
                fixture.driver.advanceWallClockTime(Duration.ofSeconds(1));
                catchUp++;
                fixture.drainOutputs(fixture.topics.incidentEvents().name());
            } while (fixture.drainOutputs(fixture.topics.actionCommands().name()) > 0 && catchUp < MAX_CATCH_UP);
            fixture.drainOutputs();
            long[] idle = new long[punctuations];
            for (int i = 0; i < punctuations; i++) {
                long before = System.nanoTime();
                fixture.driver.advanceWallClockTime(Duration.ofSeconds(1));
                idle[i] = System.nanoTime() - before;
                fixture.drainOutputs();
            }
            long heapAfter = heapAfterGc();
            long dueStart = System.nanoTime();
            fixture.driver.advanceWallClockTime(STATUS_UPDATES_DUE);
            double dueMillis = (System.nanoTime() - dueStart) / 1e6;
            int fired = fixture.drainOutputs(fixture.topics.actionCommands().name());
            long storeEntries = fixture.storeEntries();
            java.util.Arrays.sort(idle);
            return new Level(incidents, idle[idle.length / 2] / 1e3,
                    idle[Math.min(idle.length - 1, (int) Math.ceil(0.99 * idle.length) - 1)] / 1e3, dueMillis, fired,
                    (double) (heapAfter - heapBefore) / incidents,
                    (double) (storeEntries - emptyStoreEntries) / incidents, loadRate);
        }
    }

    private static String fingerprint(int i) {
        return String.format(Locale.ROOT, "%016x", 0x1c1d0000L + i);
    }

    private static Alert alert(int i, Instant at) {
        return Alert.newBuilder().setFingerprint(fingerprint(i)).setStatus(AlertStatus.FIRING)
                .setLabels(Map.of("alertname", "HighLatency", "severity", "warning", "service", "inc-svc-" + i,
                        "namespace", "ml-prod"))
                .setAnnotations(Map.of("summary", "p95 above 1 s")).setStartsAt(at)
                .setSource(AlertSource.ALERTMANAGER).setReceivedAt(at).build();
    }

    /** Used heap after a full collection (System.gc with G1 is a full, compacting collection). */
    private static long heapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** The topology in a driver with a state directory of its own, the wall clock starting now. */
    private static final class Driver implements AutoCloseable {
        final TopicCatalog topics = new TopicCatalog(TopicSettings.DEFAULTS, RunstreamSerdes.avro());
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final Instant start = Instant.now();
        final Path stateDir;
        final TopologyTestDriver driver;
        final TestInputTopic<String, Alert> alerts;
        private boolean closed;

        Driver() throws IOException {
            stateDir = Files.createTempDirectory("runstream-bench-incidents-");
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "runstream-bench-incidents");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            RunstreamTopology.applySettings(props);
            DeadLetterConfig.apply(props, topics.deadLetters().name(), registry);
            driver = new TopologyTestDriver(RunstreamTopology.build(topics, RulesFile.defaults(),
                    RunbooksFiles.load(null), registry, props), props, start);
            alerts = driver.createInputTopic(topics.alerts().name(), topics.alerts().keySerde().serializer(),
                    topics.alerts().valueSerde().serializer());
        }

        /** The driver keeps every output record until read; reading them keeps the heap figure the topology's. */
        void drainOutputs() {
            driver.producedTopicNames().forEach(this::drainOutputs);
        }

        int drainOutputs(String topic) {
            return driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                    .readRecordsToList().size();
        }

        /**
         * Entries in every key-value and window store, counted by iterating them. (Not bytes on disk: the
         * driver deletes its state directory when it closes, and before that most state sits in memtables.)
         */
        long storeEntries() {
            long entries = 0;
            for (StateStore store : driver.getAllStateStores().values()) {
                if (store instanceof KeyValueStore<?, ?> keyValues) {
                    entries += count(keyValues.all());
                } else if (store instanceof WindowStore<?, ?> windows) {
                    entries += count(windows.all());
                }
            }
            return entries;
        }

        private static long count(KeyValueIterator<?, ?> iterator) {
            long n = 0;
            try (iterator) {
                while (iterator.hasNext()) {
                    iterator.next();
                    n++;
                }
            }
            return n;
        }

        private void closeDriver() {
            if (!closed) {
                closed = true;
                driver.close();
            }
        }

        @Override
        public void close() throws IOException {
            closeDriver();
            try (Stream<Path> paths = Files.walk(stateDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
