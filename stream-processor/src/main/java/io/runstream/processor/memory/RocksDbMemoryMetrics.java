package io.runstream.processor.memory;

import java.util.Collection;
import java.util.function.Supplier;

import org.apache.kafka.streams.KafkaStreams;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The shared RocksDB memory as gauges: {@code runstream_rocksdb_block_cache_usage_bytes} (blocks and memtable
 * reservations), {@code _pinned_bytes}, {@code _capacity_bytes}, {@code runstream_rocksdb_write_buffer_capacity_bytes}
 * and {@code runstream_rocksdb_memtables_bytes}, the sum of Kafka Streams' per-store {@code size-all-mem-tables}.
 * Read from the cache itself at scrape time, so no DEBUG recording level (and its per-record cost) is needed.
 */
public final class RocksDbMemoryMetrics {

    private RocksDbMemoryMetrics() {
    }

    public static void bind(MeterRegistry registry, SharedRocksDbMemory memory,
            Supplier<? extends Collection<KafkaStreams>> streams) {
        gauge(registry, "runstream.rocksdb.block.cache.usage", "Bytes in the shared RocksDB block cache, memtables' "
                + "reservations included", memory, SharedRocksDbMemory::usage);
        gauge(registry, "runstream.rocksdb.block.cache.pinned", "Bytes of the shared block cache pinned by readers",
                memory, SharedRocksDbMemory::pinnedUsage);
        gauge(registry, "runstream.rocksdb.block.cache.capacity", "streams.rocksdb.blockCacheBytes", memory,
                m -> m.settings().blockCacheBytes());
        gauge(registry, "runstream.rocksdb.write.buffer.capacity", "streams.rocksdb.writeBufferBytes", memory,
                m -> m.settings().writeBufferBytes());
        Gauge.builder("runstream.rocksdb.memtables", streams, RocksDbMemoryMetrics::memtableBytes)
                .description("Bytes of all RocksDB memtables of this instance (sum of size-all-mem-tables)")
                // strongly held: the supplier is usually a method reference nothing else keeps, and Micrometer holds
                // gauge objects weakly, so a collected one would read NaN (as it did in the soak's first probe)
                .baseUnit("bytes").strongReference(true).register(registry);
    }

    private static void gauge(MeterRegistry registry, String name, String description, SharedRocksDbMemory memory,
            java.util.function.ToDoubleFunction<SharedRocksDbMemory> value) {
        Gauge.builder(name, memory, value).description(description).baseUnit("bytes").register(registry);
    }

    /** Summed over the process's Kafka Streams applications (two when detection runs on its own). */
    static double memtableBytes(Supplier<? extends Collection<KafkaStreams>> streams) {
        Collection<KafkaStreams> current = streams.get();
        if (current == null) {
            return 0;
        }
        return current.stream().flatMap(instance -> instance.metrics().entrySet().stream())
                .filter(e -> e.getKey().name().equals("size-all-mem-tables"))
                .mapToDouble(e -> e.getValue().metricValue() instanceof Number n ? n.doubleValue() : 0)
                .sum();
    }
}
