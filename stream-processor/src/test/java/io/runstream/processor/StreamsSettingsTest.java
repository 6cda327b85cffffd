package io.runstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.runstream.common.config.ConfigException;
import io.runstream.common.config.ConfigLoader;

class StreamsSettingsTest {

    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void defaultsBoundRocksDbTo128MibAndReplaceAThreadThreeTimesIn10Minutes() {
        StreamsSettings streams = load(Map.of()).streams();

        assertThat(streams.rocksdb().blockCacheBytes()).isEqualTo(128L * 1024 * 1024);
        assertThat(streams.rocksdb().writeBufferBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(streams.onUncaughtException()).isEqualTo(UncaughtExceptionPolicy.REPLACE_THREAD);
        assertThat(streams.maxThreadReplacements()).isEqualTo(3);
        assertThat(streams.threadReplacementWindow()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void environmentSetsTheBudgetAndThePolicy() {
        StreamsSettings streams = load(Map.of("RUNSTREAM_STREAMS_ROCKSDB_BLOCK_CACHE_BYTES", "268435456",
                "RUNSTREAM_STREAMS_ON_UNCAUGHT_EXCEPTION", "shutdown-client")).streams();

        assertThat(streams.rocksdb().blockCacheBytes()).isEqualTo(256L * 1024 * 1024);
        assertThat(streams.onUncaughtException()).isEqualTo(UncaughtExceptionPolicy.SHUTDOWN_CLIENT);
    }

    @Test
    void refusesWriteBuffersLargerThanTheCacheNamingTheKeyAtStart() {
        assertThatThrownBy(() -> load(Map.of("RUNSTREAM_STREAMS_ROCKSDB_WRITE_BUFFER_BYTES", "268435456")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("streams.rocksdb.writeBufferBytes must be > 0 and less than "
                        + "streams.rocksdb.blockCacheBytes (134217728), was 268435456");
        assertThatThrownBy(() -> load(Map.of("RUNSTREAM_STREAMS_ON_UNCAUGHT_EXCEPTION", "ignore")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("streams.onUncaughtException must be one of");
    }

    private StreamProcessorConfig load(Map<String, String> environment) {
        return loader.load(StreamProcessorConfig.class, StreamProcessorConfig.DEFAULTS, null, environment);
    }
}
