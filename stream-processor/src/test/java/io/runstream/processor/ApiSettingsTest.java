package io.runstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.runstream.common.config.ConfigException;
import io.runstream.common.config.ConfigLoader;

class ApiSettingsTest {

    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void readAndWriteTokensComeFromTheEnvironmentAndNeverShowInToString() {
        StreamProcessorConfig config = load(Map.of("RUNSTREAM_API_WRITE_TOKEN", "write-token-0123456789",
                "RUNSTREAM_API_READ_TOKEN", "read-token-0123456789"));

        assertThat(config.api().writeToken()).isEqualTo("write-token-0123456789");
        assertThat(config.api().readToken()).isEqualTo("read-token-0123456789");
        assertThat(config.toString()).doesNotContain("write-token-0123456789", "read-token-0123456789");
    }

    @Test
    void byDefaultWritesAreRefusedAndReadsOpen() {
        ApiSettings api = load(Map.of()).api();

        assertThat(api.writeToken()).isEmpty();
        assertThat(api.readToken()).isEmpty();
    }

    @Test
    void aShortTokenStopsTheStartWithoutEchoingIt() {
        assertThatThrownBy(() -> load(Map.of("RUNSTREAM_API_READ_TOKEN", "short-secret")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("api.readToken must be at least 16")
                .hasMessageNotContaining("short-secret");
    }

    private StreamProcessorConfig load(Map<String, String> environment) {
        return loader.load(StreamProcessorConfig.class, StreamProcessorConfig.DEFAULTS, null, environment);
    }
}
