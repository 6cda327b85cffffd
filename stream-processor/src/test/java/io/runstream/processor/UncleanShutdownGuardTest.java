package io.runstream.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A run that did not stop cleanly leaves a marker; under exactly_once_v2 the next start wipes the local state. */
class UncleanShutdownGuardTest {

    private static final String APP = "guard-test";

    @TempDir
    Path stateDir;

    @Test
    void aCrashedExactlyOnceRunHasItsLocalStateWipedBeforeTheNextStart() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Path leftOver = taskStoreFile();
        try (KafkaStreams first = streams()) {
            new UncleanShutdownGuard(stateDir, APP, "exactly_once_v2", registry).beforeStart(first);
            // no cleanlyStopped(): the process was killed
        }
        assertThat(leftOver).exists();

        try (KafkaStreams second = streams()) {
            new UncleanShutdownGuard(stateDir, APP, "exactly_once_v2", registry).beforeStart(second);
        }

        assertThat(leftOver).doesNotExist();
        assertThat(registry.get("runstream.state.wipes").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aCleanStopKeepsTheLocalState() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Path kept = taskStoreFile();
        try (KafkaStreams first = streams()) {
            UncleanShutdownGuard guard = new UncleanShutdownGuard(stateDir, APP, "exactly_once_v2", registry);
            guard.beforeStart(first);
            guard.cleanlyStopped();
        }
        try (KafkaStreams second = streams()) {
            new UncleanShutdownGuard(stateDir, APP, "exactly_once_v2", registry).beforeStart(second);
        }

        assertThat(kept).exists();
        assertThat(registry.get("runstream.state.wipes").counter().count()).isZero();
    }

    @Test
    void atLeastOnceKeepsTheStateOfACrashedRunForKafkaStreamsToCheckpointFrom() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Path kept = taskStoreFile();
        try (KafkaStreams first = streams()) {
            new UncleanShutdownGuard(stateDir, APP, "at_least_once", registry).beforeStart(first);
        }
        try (KafkaStreams second = streams()) {
            new UncleanShutdownGuard(stateDir, APP, "at_least_once", registry).beforeStart(second);
        }

        assertThat(kept).exists();
    }

    /** What a task's RocksDB store leaves on disk. */
    private Path taskStoreFile() throws Exception {
        Path file = stateDir.resolve(APP).resolve("0_0").resolve("rocksdb").resolve("store").resolve("000001.sst");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "sst");
        return file;
    }

    private static final class NoOp implements org.apache.kafka.streams.processor.api.Processor<Object, Object, Void,
            Void> {
        @Override
        public void process(org.apache.kafka.streams.processor.api.Record<Object, Object> record) {
        }
    }

    /** An instance that is never started: cleanUp() needs no broker. */
    private KafkaStreams streams() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("store"), Serdes.String(),
                Serdes.String()));
        builder.stream("in").process(NoOp::new, "store");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return new KafkaStreams(builder.build(), props);
    }
}
