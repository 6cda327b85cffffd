package io.runstream.processor.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class RocksDbMemoryMetricsTest {

    @Test
    void theMemtablesGaugeSurvivesAGarbageCollectionOfItsSupplier() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicReference<List<KafkaStreams>> running = new AtomicReference<>(List.of());
        try (SharedRocksDbMemory memory = SharedRocksDbMemory.create(RocksDbSettings.DEFAULT)) {
            // a method reference made here and kept by nothing else, as StreamProcessor binds it
            RocksDbMemoryMetrics.bind(registry, memory, running::get);
            for (int i = 0; i < 5; i++) {
                System.gc();
            }

            assertThat(registry.get("runstream.rocksdb.memtables").gauge().value()).isEqualTo(0.0);
            assertThat(registry.get("runstream.rocksdb.block.cache.capacity").gauge().value())
                    .isEqualTo(RocksDbSettings.DEFAULT.blockCacheBytes());
        }
    }
}
