package io.runstream.processor.memory;

/**
 * The process's RocksDB memory budget: one block cache of {@code blockCacheBytes} shared by every store of the
 * process, of which up to {@code writeBufferBytes} may be memtables (charged to the same cache, so the cache's
 * size is the whole off-heap bound). Index and filter blocks are counted in the cache too.
 *
 * <p>Each store's memtable is a sixteenth of the memtable budget ({@link #memtableBytes()}, 1 to 16 MiB), so busy
 * stores flush at their own size long before their sum reaches the budget. With RocksDB's default 16 MiB memtable
 * per store and a 16 MiB budget, the budget was reached all the time, and the write-buffer manager then flushed the
 * memtable of whichever store was being written, however small: dedup-store's window segments filled with tiny SST
 * files and writes stalled (the soak of docs/reliability.md fell behind a 27,000 samples/s load).
 */
public record RocksDbSettings(long blockCacheBytes, long writeBufferBytes) {

    /** Below this a store of every task could not keep its index blocks, and reads would go to disk. */
    public static final long MIN_BLOCK_CACHE_BYTES = 4L * 1024 * 1024;
    public static final RocksDbSettings DEFAULT = new RocksDbSettings(128L * 1024 * 1024, 64L * 1024 * 1024);
    private static final long MIB = 1024L * 1024;

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

    /** One store's memtable: a sixteenth of the memtable budget, at least 1 MiB and at most RocksDB's 16 MiB. */
    public long memtableBytes() {
        return Math.max(MIB, Math.min(16 * MIB, writeBufferBytes / 16));
    }
}
