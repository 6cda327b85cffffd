package io.runstream.processor.memory;

/**
 * The process's RocksDB memory budget: one block cache of {@code blockCacheBytes} shared by every store of the
 * process, of which up to {@code writeBufferBytes} may be memtables (charged to the same cache, so the cache's
 * size is the whole off-heap bound). Index and filter blocks are counted in the cache too.
 */
public record RocksDbSettings(long blockCacheBytes, long writeBufferBytes) {

    /** Below this a store of every task could not keep its index blocks, and reads would go to disk. */
    public static final long MIN_BLOCK_CACHE_BYTES = 4L * 1024 * 1024;
    public static final RocksDbSettings DEFAULT = new RocksDbSettings(64L * 1024 * 1024, 16L * 1024 * 1024);

    public RocksDbSettings {
        if (blockCacheBytes < MIN_BLOCK_CACHE_BYTES) {
            throw new IllegalArgumentException("streams.rocksdb.blockCacheBytes must be >= " + MIN_BLOCK_CACHE_BYTES
                    + " (4 MiB), was " + blockCacheBytes);
        }
        if (writeBufferBytes <= 0 || writeBufferBytes >= blockCacheBytes) {
            throw new IllegalArgumentException("streams.rocksdb.writeBufferBytes must be > 0 and less than "
                    + "streams.rocksdb.blockCacheBytes (" + blockCacheBytes + "), was " + writeBufferBytes);
        }
    }
}
