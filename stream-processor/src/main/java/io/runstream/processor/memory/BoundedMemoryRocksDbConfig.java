package io.runstream.processor.memory;

import java.util.Map;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;

/**
 * Kafka Streams' {@code rocksdb.config.setter} that bounds a process's RocksDB memory, as Kafka Streams'
 * memory-management documentation describes: every store uses the instance's one {@link SharedRocksDbMemory}
 * (its block cache, index and filter blocks included, and its write-buffer manager) instead of a cache and
 * memtables of its own.
 */
public final class BoundedMemoryRocksDbConfig implements RocksDBConfigSetter {

    /** The Streams property naming the {@link SharedRocksDbMemory} to use. */
    public static final String MEMORY_ID_CONFIG = "runstream.rocksdb.memory.id";

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        SharedRocksDbMemory memory = SharedRocksDbMemory.lookup((String) configs.get(MEMORY_ID_CONFIG));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(memory.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(memory.writeBufferManager());
        // each store flushes at its own share, so the shared budget is rarely what forces a (tiny) flush
        options.setWriteBufferSize(memory.settings().memtableBytes());
        options.setMaxWriteBufferNumber(2);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and write-buffer manager are shared: their owner closes them after every store is closed.
    }
}
