package io.runstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runstream.processor.rules.RulesFile;
import io.runstream.processor.rules.RunbooksFiles;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;

/** The store kinds: the live processor's RocksDB stores and the backtest's heap stores, one topology. */
class StateStoresTest {

    @Test
    void inMemoryStoresLeaveTheTopologyDescriptionsAsPinned() throws IOException {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "runstream-test");
        RunstreamTopology.applySettings(props);
        StateStores.set(props, StateStores.Kind.IN_MEMORY);
        TopicCatalog topics = new TopicCatalog(TopicSettings.DEFAULTS, RunstreamSerdes.avro());
        RulesFile rules = RulesFile.defaults();

        assertThat(described(RunstreamTopology.build(topics, rules, RunbooksFiles.load(null),
                new SimpleMeterRegistry(), props))).isEqualTo(pinned("topology-description.txt"));
        assertThat(described(RunstreamTopology.buildDetection(topics, rules, new SimpleMeterRegistry(), props)))
                .isEqualTo(pinned("topology-description-detection.txt"));
        assertThat(described(RunstreamTopology.buildIncidents(topics, rules, RunbooksFiles.load(null),
                new SimpleMeterRegistry(), props))).isEqualTo(pinned("topology-description-incidents.txt"));
    }

    private static String described(Topology topology) {
        return topology.describe().toString().trim() + "\n";
    }

    private static String pinned(String file) throws IOException {
        return Files.readString(Path.of("src/test/resources", file), StandardCharsets.UTF_8);
    }

    @Test
    void persistentByDefaultWithChangelogs() {
        StateStores stores = StateStores.from(new Properties());

        StoreBuilder<KeyValueStore<String, String>> keyValue = stores.keyValue("s", Serdes.String(), Serdes.String());
        StoreBuilder<WindowStore<String, String>> window = stores.window("w", Duration.ofMinutes(2),
                Duration.ofMinutes(2), true, Serdes.String(), Serdes.String());

        assertThat(stores.kind()).isEqualTo(StateStores.Kind.PERSISTENT);
        assertThat(keyValue.loggingEnabled()).isTrue();
        assertThat(keyValue.build().persistent()).isTrue();
        assertThat(window.loggingEnabled()).isTrue();
        assertThat(window.build().persistent()).isTrue();
    }

    @Test
    void persistentChangelogsRollSmallSegmentsSoRestoresStayShort() {
        StateStores stores = StateStores.persistent();

        var steady = stores.keyValue("s", Serdes.String(), Serdes.String()).logConfig();
        var churning = stores.keyValue("c", Serdes.String(), Serdes.String(), StateStores.Changelog.CHURNING)
                .logConfig();
        var window = stores.window("w", Duration.ofMinutes(2), Duration.ofMinutes(2), true, Serdes.String(),
                Serdes.String()).logConfig();

        // docs/reliability.md, finding 3: 1 GiB segments were never compacted and restarts grew with uptime.
        assertThat(steady).containsEntry("segment.bytes", "67108864").containsEntry("segment.ms", "600000")
                .containsEntry("delete.retention.ms", "3600000");
        assertThat(window).containsAllEntriesOf(steady);
        assertThat(churning).containsEntry("segment.ms", "300000").containsEntry("delete.retention.ms", "300000")
                .doesNotContainKey("min.cleanable.dirty.ratio");
    }

    @Test
    void inMemoryStoresHaveNoChangelog() {
        Properties props = new Properties();
        StateStores.set(props, StateStores.Kind.IN_MEMORY);
        StateStores stores = StateStores.from(props);

        StoreBuilder<KeyValueStore<String, String>> keyValue = stores.keyValue("s", Serdes.String(), Serdes.String());
        StoreBuilder<WindowStore<String, String>> window = stores.window("w", Duration.ofMinutes(2),
                Duration.ofMinutes(2), true, Serdes.String(), Serdes.String());

        assertThat(keyValue.name()).isEqualTo("s");
        assertThat(keyValue.loggingEnabled()).isFalse();
        assertThat(keyValue.build().persistent()).isFalse();
        assertThat(window.loggingEnabled()).isFalse();
        assertThat(window.build().persistent()).isFalse();
    }

    @Test
    void refusesAnUnknownKindNamingTheKeyAndTheValue() {
        Properties props = new Properties();
        props.put(StateStores.KIND_CONFIG, "rocks");

        assertThatThrownBy(() -> StateStores.from(props)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runstream.state.stores=rocks").hasMessageContaining("in-memory");
    }
}
