package io.runstream.processor;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.config.TopicConfig;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The one place the stages get their state stores from, so that a run picks the kind of every store at once.
 * {@link Kind#PERSISTENT} (the live processor): RocksDB with a changelog. {@link Kind#IN_MEMORY} (a backtest,
 * whose state is thrown away with the run): heap stores without a changelog, so that no record pays for a write
 * to RocksDB or to a changelog nobody will restore from. Either way the stores keep their names and the topology
 * its description; the kind is {@value #KIND_CONFIG} in the Streams properties, {@code persistent} by default.
 *
 * <p>Persistent stores' changelogs get small segments: under {@code exactly_once_v2} a restart after a crash
 * restores every store from its changelog, and the log cleaner never compacts a segment that is still active, so
 * with the broker's defaults (1 GiB, 7 days) a changelog holds everything written since it was created and each
 * restart replays more (docs/reliability.md). Kafka Streams sets these configs only when it creates a changelog;
 * docs/deployment.md has the {@code kafka-configs} command for changelogs created by an earlier release.
 */
public final class StateStores {

    /** The Streams property that chooses the stores' kind: {@code persistent} or {@code in-memory}. */
    public static final String KIND_CONFIG = "runstream.state.stores";

    /** The kinds of store a run can have. */
    public enum Kind {
        PERSISTENT, IN_MEMORY;

        String configValue() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** How much a store's changelog churns: how soon its segments roll and its tombstones go. */
    public enum Changelog {
        /**
         * Incidents, timelines, dedup, runbook progress: a few writes per incident; tombstones kept an hour. Segments
         * roll every 10 minutes: the cleaner never touches the active segment, and with hourly rolls the dedup and
         * health-history changelogs grew steadily through the 2-hour soak (docs/reliability.md).
         */
        STEADY(Map.of(
                TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(64 * 1024 * 1024),
                TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofMinutes(10).toMillis()),
                TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis()))),
        /**
         * Detection's sample windows: each sample rewrites its segment's entry, deleted minutes later; segments
         * roll every 5 minutes and tombstones go after 5, so the changelog stays about twice its live content.
         * The broker's dirty ratio (0.5) is kept: a lower one rewrites the clean part more often, and the
         * cleaner's CPU is taken from the processor when both share a machine (docs/benchmarks.md).
         */
        CHURNING(Map.of(
                TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(64 * 1024 * 1024),
                TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofMinutes(5).toMillis()),
                TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(Duration.ofMinutes(5).toMillis())));

        private final Map<String, String> topicConfig;

        Changelog(Map<String, String> topicConfig) {
            this.topicConfig = topicConfig;
        }

        /** The topic configs Kafka Streams creates the changelog with. */
        public Map<String, String> topicConfig() {
            return topicConfig;
        }
    }

    private final Kind kind;

    private StateStores(Kind kind) {
        this.kind = kind;
    }

    /** The live processor's stores: RocksDB, changelogged. */
    public static StateStores persistent() {
        return new StateStores(Kind.PERSISTENT);
    }

    /** The kind {@value #KIND_CONFIG} names in {@code streamsProperties}; persistent when it is not set. */
    public static StateStores from(Properties streamsProperties) {
        Object value = streamsProperties.get(KIND_CONFIG);
        if (value == null) {
            return persistent();
        }
        for (Kind kind : Kind.values()) {
            if (kind.configValue().equals(value.toString().trim())) {
                return new StateStores(kind);
            }
        }
        throw new IllegalArgumentException(KIND_CONFIG + "=" + value + " is not a store kind; expected persistent "
                + "or in-memory");
    }

    /** Sets the kind in {@code streamsProperties}, for {@link #from}. */
    public static void set(Properties streamsProperties, Kind kind) {
        streamsProperties.put(KIND_CONFIG, kind.configValue());
    }

    public Kind kind() {
        return kind;
    }

    public <K, V> StoreBuilder<KeyValueStore<K, V>> keyValue(String name, Serde<K> keySerde, Serde<V> valueSerde) {
        return keyValue(name, keySerde, valueSerde, Changelog.STEADY);
    }

    public <K, V> StoreBuilder<KeyValueStore<K, V>> keyValue(String name, Serde<K> keySerde, Serde<V> valueSerde,
            Changelog changelog) {
        KeyValueBytesStoreSupplier supplier = kind == Kind.PERSISTENT ? Stores.persistentKeyValueStore(name)
                : Stores.inMemoryKeyValueStore(name);
        return withKind(Stores.keyValueStoreBuilder(supplier, keySerde, valueSerde), changelog);
    }

    public <K, V> StoreBuilder<WindowStore<K, V>> window(String name, Duration retention, Duration windowSize,
            boolean retainDuplicates, Serde<K> keySerde, Serde<V> valueSerde) {
        WindowBytesStoreSupplier supplier = kind == Kind.PERSISTENT
                ? Stores.persistentWindowStore(name, retention, windowSize, retainDuplicates)
                : Stores.inMemoryWindowStore(name, retention, windowSize, retainDuplicates);
        return withKind(Stores.windowStoreBuilder(supplier, keySerde, valueSerde), Changelog.STEADY);
    }

    /** A table's store, for {@code builder.table(...)}. */
    public <K, V> Materialized<K, V, KeyValueStore<Bytes, byte[]>> table(String name, Serde<K> keySerde,
            Serde<V> valueSerde) {
        // Persistent, the table reuses its source topic as changelog (REUSE_KTABLE_SOURCE_TOPICS): no configs.
        Materialized<K, V, KeyValueStore<Bytes, byte[]>> materialized = kind == Kind.PERSISTENT
                ? Materialized.as(name) : Materialized.<K, V>as(Stores.inMemoryKeyValueStore(name))
                        .withLoggingDisabled();
        return materialized.withKeySerde(keySerde).withValueSerde(valueSerde);
    }

    private <T extends org.apache.kafka.streams.processor.StateStore> StoreBuilder<T> withKind(
            StoreBuilder<T> builder, Changelog changelog) {
        return kind == Kind.PERSISTENT ? builder.withLoggingEnabled(changelog.topicConfig())
                : builder.withLoggingDisabled();
    }
}
