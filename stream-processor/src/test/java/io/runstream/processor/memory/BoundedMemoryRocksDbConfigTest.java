package io.runstream.processor.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class BoundedMemoryRocksDbConfigTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void everyStoreOfAnInstanceGetsTheSharedCacheAndWriteBufferManager() {
        // given: one instance's memory, and two of its stores being opened
        try (SharedRocksDbMemory memory = SharedRocksDbMemory.create(RocksDbSettings.DEFAULT);
                Options incidents = new Options();
                Options timeline = new Options()) {
            Map<String, Object> configs = Map.of(BoundedMemoryRocksDbConfig.MEMORY_ID_CONFIG, memory.id());
            // as Kafka Streams' RocksDBStore hands them to the setter: with its block-based table config
            incidents.setTableFormatConfig(new BlockBasedTableConfig());
            timeline.setTableFormatConfig(new BlockBasedTableConfig());

            // when
            new BoundedMemoryRocksDbConfig().setConfig("incidents-store", incidents, configs);
            new BoundedMemoryRocksDbConfig().setConfig("incident-timeline-store", timeline, configs);

            // then: both use the one write-buffer manager, and count index and filter blocks in the cache
            assertThat(incidents.writeBufferManager()).isSameAs(memory.writeBufferManager());
            assertThat(timeline.writeBufferManager()).isSameAs(memory.writeBufferManager());
            for (Options options : new Options[] {incidents, timeline}) {
                BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
                assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
                assertThat(table.cacheIndexAndFilterBlocksWithHighPriority()).isTrue();
                // each store flushes at its sixteenth of the memtable budget (64 MiB by default): 4 MiB
                assertThat(options.writeBufferSize()).isEqualTo(4 * MIB);
                assertThat(options.maxWriteBufferNumber()).isEqualTo(2);
            }
        }
    }

    @Test
    void aStoresMemtableIsASixteenthOfTheBudgetBetweenOneAndSixteenMib() {
        assertThat(new RocksDbSettings(128 * MIB, 64 * MIB).memtableBytes()).isEqualTo(4 * MIB);
        assertThat(new RocksDbSettings(64 * MIB, 8 * MIB).memtableBytes()).isEqualTo(MIB);
        assertThat(new RocksDbSettings(2048 * MIB, 1024 * MIB).memtableBytes()).isEqualTo(16 * MIB);
    }

    @Test
    void refusesAStoreOfAnInstanceWhoseMemoryIsNotRegistered() {
        try (Options options = new Options()) {
            assertThatThrownBy(() -> new BoundedMemoryRocksDbConfig().setConfig("incidents-store", options,
                    Map.of(BoundedMemoryRocksDbConfig.MEMORY_ID_CONFIG, "gone")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(BoundedMemoryRocksDbConfig.MEMORY_ID_CONFIG + "=gone");
        }
    }

    @Test
    void writeBuffersAreChargedToTheCacheSoItsUsageCountsThem() {
        // given: 16 MiB of cache, 4 MiB of it memtables
        try (SharedRocksDbMemory memory = SharedRocksDbMemory.create(new RocksDbSettings(16 * MIB, 4 * MIB))) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();

            // when
            RocksDbMemoryMetrics.bind(registry, memory, () -> null);

            // then: the budget is exported beside the usage
            assertThat(registry.get("runstream.rocksdb.block.cache.capacity").gauge().value()).isEqualTo(16.0 * MIB);
            assertThat(registry.get("runstream.rocksdb.write.buffer.capacity").gauge().value()).isEqualTo(4.0 * MIB);
            assertThat(registry.get("runstream.rocksdb.block.cache.usage").gauge().value()).isBetween(0.0, 16.0 * MIB);
            assertThat(registry.get("runstream.rocksdb.memtables").gauge().value()).isZero();
        }
    }

    @Test
    void refusesABudgetThatCannotHoldItsWriteBuffers() {
        assertThatThrownBy(() -> new RocksDbSettings(64 * MIB, 64 * MIB))
                .hasMessageContaining("streams.rocksdb.writeBufferBytes")
                .hasMessageContaining("less than streams.rocksdb.blockCacheBytes");
        assertThatThrownBy(() -> new RocksDbSettings(MIB, MIB / 2))
                .hasMessageContaining("streams.rocksdb.blockCacheBytes must be >= 4194304");
    }
}
