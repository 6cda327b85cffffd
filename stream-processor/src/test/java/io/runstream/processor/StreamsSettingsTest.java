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
    void defaultsSplitDetectionAt100msFromTheIncidentStagesAt20msKeepingTheIncidentsOnTheApplicationId() {
        StreamsSettings streams = load(Map.of()).streams();

        assertThat(streams.split()).isTrue();
        assertThat(streams.detection()).isEqualTo(new ApplicationSettings(Duration.ofMillis(100), 1));
        assertThat(streams.incidents()).isEqualTo(new ApplicationSettings(Duration.ofMillis(20), 1));
        assertThat(streams.incidentsApplicationId()).isEqualTo("runstream-stream-processor");
        assertThat(streams.detectionApplicationId()).isEqualTo("runstream-stream-processor-detection");
    }

    @Test
    void environmentChoosesTheSingleTopologyAndEachApplicationsCommitIntervalAndThreads() {
        StreamsSettings streams = load(Map.of("RUNSTREAM_STREAMS_TOPOLOGY", "single",
                "RUNSTREAM_STREAMS_INCIDENTS_COMMIT_INTERVAL", "5ms",
                "RUNSTREAM_STREAMS_DETECTION_THREADS", "2")).streams();

        assertThat(streams.split()).isFalse();
        assertThat(streams.incidents().commitInterval()).isEqualTo(Duration.ofMillis(5));
        assertThat(streams.detection().threads()).isEqualTo(2);
    }

    @Test
    void refusesAnUnknownTopologyAndZeroThreadsNamingTheKey() {
        assertThatThrownBy(() -> load(Map.of("RUNSTREAM_STREAMS_TOPOLOGY", "double")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("streams.topology must be one of").hasMessageContaining("was 'double'");
        assertThatThrownBy(() -> load(Map.of("RUNSTREAM_STREAMS_DETECTION_THREADS", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("streams.detection.threads must be >= 1, was 0");
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
