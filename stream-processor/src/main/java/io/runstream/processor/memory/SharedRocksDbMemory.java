package io.runstream.processor.memory;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * The block cache and write-buffer manager one stream-processor instance shares between all its stores. Kafka
 * Streams instantiates {@link BoundedMemoryRocksDbConfig} by reflection per store, so the instance registers its
 * memory under an id that it passes in the Streams properties; the setter looks it up there. Closed by its owner
 * after Kafka Streams has closed every store.
 */
public final class SharedRocksDbMemory implements AutoCloseable {

    /** Index and filter blocks go to the high-priority pool, so data blocks do not evict them. */
    static final double HIGH_PRIORITY_POOL_RATIO = 0.1;
    private static final Map<String, SharedRocksDbMemory> REGISTERED = new ConcurrentHashMap<>();

    private final String id;
    private final RocksDbSettings settings;
    private final LRUCache cache;
    private final WriteBufferManager writeBufferManager;

    private SharedRocksDbMemory(RocksDbSettings settings) {
        RocksDB.loadLibrary();
        this.id = UUID.randomUUID().toString();
        this.settings = settings;
        // Not strict: a full strict cache fails reads and iterators ("Insert failed due to LRU cache being full"),
        // which would kill stream threads; a non-strict one may overrun briefly, by the pinned blocks in use.
        this.cache = new LRUCache(settings.blockCacheBytes(), -1, false, HIGH_PRIORITY_POOL_RATIO);
        // Memtables are charged to the cache, so blockCacheBytes bounds both.
        this.writeBufferManager = new WriteBufferManager(settings.writeBufferBytes(), cache);
    }

    /** Creates and registers the memory of one process (one Kafka Streams instance). */
    public static SharedRocksDbMemory create(RocksDbSettings settings) {
        SharedRocksDbMemory memory = new SharedRocksDbMemory(settings);
        REGISTERED.put(memory.id, memory);
        return memory;
    }

    static SharedRocksDbMemory lookup(String id) {
        SharedRocksDbMemory memory = id == null ? null : REGISTERED.get(id);
        if (memory == null) {
            throw new IllegalStateException("No shared RocksDB memory registered under "
                    + BoundedMemoryRocksDbConfig.MEMORY_ID_CONFIG + "=" + id);
        }
        return memory;
    }

    public String id() {
        return id;
    }

    public RocksDbSettings settings() {
        return settings;
    }

    Cache cache() {
        return cache;
    }

    WriteBufferManager writeBufferManager() {
        return writeBufferManager;
    }

    /** Bytes in the cache: data, index and filter blocks and the memtables' reservations. */
    public long usage() {
        return cache.getUsage();
    }

    /** Bytes of entries in use by readers, which an LRU cache cannot evict. */
    public long pinnedUsage() {
        return cache.getPinnedUsage();
    }

    @Override
    public void close() {
        if (REGISTERED.remove(id) != null) {
            writeBufferManager.close();
            cache.close();
        }
    }
}
