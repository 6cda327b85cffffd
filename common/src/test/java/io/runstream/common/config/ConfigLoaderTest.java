package io.runstream.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runstream.common.http.HttpSettings;
import io.runstream.common.kafka.KafkaSettings;

class ConfigLoaderTest {

    record SampleConfig(KafkaSettings kafka, HttpSettings http, Duration dedupWindow) {
    }

    private final ConfigLoader loader = new ConfigLoader();

    @TempDir
    Path dir;

    @Test
    void usesTheDefaultsWhenNothingElseIsGiven() {
        SampleConfig config = loader.load(SampleConfig.class, "test-defaults.yaml", null, Map.of());

        assertThat(config.kafka().topicPrefix()).isEqualTo("runstream.");
        assertThat(config.http().port()).isEqualTo(8080);
        assertThat(config.dedupWindow()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void overlaysTheUserFileThenTheEnvironment() throws IOException {
        Path file = write("kafka:\n  partitions: 12\nhttp:\n  port: 9000\n");

        SampleConfig config = loader.load(SampleConfig.class, "test-defaults.yaml", file,
                Map.of("RUNSTREAM_HTTP_PORT", "9100", "RUNSTREAM_KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092",
                        "RUNSTREAM_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL", "RUNSTREAM_DEDUP_WINDOW", "30s"));

        assertThat(config.kafka().partitions()).isEqualTo(12);
        assertThat(config.http().port()).isEqualTo(9100);
        assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka-1:9092");
        assertThat(config.kafka().client()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(config.dedupWindow()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void namesAnUnknownKey() throws IOException {
        Path file = write("kafka:\n  partitons: 12\n");

        assertThatThrownBy(() -> loader.load(SampleConfig.class, "test-defaults.yaml", file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown configuration key 'kafka.partitons'");
    }

    @Test
    void namesTheKeyAndValueOfAWrongType() throws IOException {
        Path file = write("http:\n  port: eighty\n");

        assertThatThrownBy(() -> loader.load(SampleConfig.class, "test-defaults.yaml", file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'http.port'")
                .hasMessageContaining("eighty");
    }

    @Test
    void reportsTheRecordsOwnValidation() {
        assertThatThrownBy(() -> loader.load(SampleConfig.class, "test-defaults.yaml", null,
                Map.of("RUNSTREAM_HTTP_PORT", "70000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.port must be 0..65535, was 70000");
    }

    @Test
    void rejectsADurationWithoutUnit() {
        assertThatThrownBy(() -> loader.load(SampleConfig.class, "test-defaults.yaml", null,
                Map.of("RUNSTREAM_DEDUP_WINDOW", "ten minutes")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'dedupWindow'")
                .hasMessageContaining("'ten minutes' is not a duration");
    }

    @Test
    void pointsAtTheLineOfBrokenYaml() throws IOException {
        Path file = write("kafka:\n  partitions: 3\n   bad: [\n");

        assertThatThrownBy(() -> loader.load(SampleConfig.class, "test-defaults.yaml", file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("is not valid YAML at line 3");
    }

    @Test
    void saysWhenTheFileIsMissing() {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> loader.load(SampleConfig.class, "test-defaults.yaml", missing, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void readsAKeyFromTheFileItsFileVariableNames() throws IOException {
        Path secret = dir.resolve("bootstrap");
        Files.writeString(secret, "kafka-1:9092\n");

        SampleConfig config = loader.load(SampleConfig.class, "test-defaults.yaml", null,
                Map.of("RUNSTREAM_KAFKA_BOOTSTRAP_SERVERS_FILE", secret.toString()));

        assertThat(config.kafka().bootstrapServers()).as("the trailing line break is not part of the value")
                .isEqualTo("kafka-1:9092");
    }

    @Test
    void theVariableItselfWinsOverItsFileVariable() {
        SampleConfig config = loader.load(SampleConfig.class, "test-defaults.yaml", null,
                Map.of("RUNSTREAM_KAFKA_BOOTSTRAP_SERVERS", "kafka-2:9092",
                        "RUNSTREAM_KAFKA_BOOTSTRAP_SERVERS_FILE", dir.resolve("missing").toString()));

        assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka-2:9092");
    }

    @Test
    void namesTheFileVariableWhoseFileCannotBeRead() {
        Path missing = dir.resolve("no-such-secret");

        assertThatThrownBy(() -> loader.load(SampleConfig.class, "test-defaults.yaml", null,
                Map.of("RUNSTREAM_KAFKA_BOOTSTRAP_SERVERS_FILE", missing.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("RUNSTREAM_KAFKA_BOOTSTRAP_SERVERS_FILE names " + missing);
    }

    @Test
    void tellsWhichVariablesSetAKey() {
        assertThat(ConfigLoader.setsKeyOf(SampleConfig.class, "RUNSTREAM_HTTP_PORT")).isTrue();
        assertThat(ConfigLoader.setsKeyOf(SampleConfig.class, "RUNSTREAM_DEDUP_WINDOW_FILE")).isTrue();
        assertThat(ConfigLoader.setsKeyOf(SampleConfig.class, "RUNSTREAM_KAFKA_CLIENT_SASL_MECHANISM")).isTrue();
        assertThat(ConfigLoader.setsKeyOf(SampleConfig.class, "RUNSTREAM_KAFKA_CLIENT")).isFalse();
        assertThat(ConfigLoader.setsKeyOf(SampleConfig.class, "RUNSTREAM_HTTP_PROT")).isFalse();
        assertThat(ConfigLoader.setsKeyOf(SampleConfig.class, "RUNSTREAM_KAFKA")).isFalse();
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("runstream.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
