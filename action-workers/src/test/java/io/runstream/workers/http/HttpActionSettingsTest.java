package io.runstream.workers.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runstream.common.config.ConfigException;
import io.runstream.common.config.ConfigLoader;
import io.runstream.workers.ActionWorkersConfig;

/** The httpActions section of the workers' configuration, loaded as a deployment would set it. */
class HttpActionSettingsTest {

    @Test
    void byDefaultNoHostIsAllowedAndNoTokenHeld() {
        HttpActionSettings defaults = load(Map.of());

        assertThat(defaults.allowedHosts()).isEmpty();
        assertThat(defaults.allows("http", "mlops-api.mlops", 8080)).isFalse();
        assertThat(defaults.secret("circuit-reset")).isEmpty();
        assertThat(defaults.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.maxResponseBytes()).isEqualTo(65536);
    }

    @Test
    void allowsExactHostsAndPortsWhereABareHostMeansTheSchemesDefaultPort(@TempDir Path dir) throws IOException {
        HttpActionSettings settings = loadFile(dir, """
                httpActions:
                  allowedHosts: [mlops-api.mlops:8080, Triton.Triton-System:8000, status.example.com]
                """);

        assertThat(settings.allows("http", "mlops-api.mlops", 8080)).isTrue();
        assertThat(settings.allows("http", "triton.triton-system", 8000)).isTrue();
        assertThat(settings.allows("https", "status.example.com", -1)).isTrue();
        assertThat(settings.allows("https", "status.example.com", 8443)).isFalse();
        assertThat(settings.allows("http", "mlops-api.mlops", 9090)).isFalse();
        assertThat(settings.allows("http", "api.mlops", 8080)).isFalse();
        assertThat(settings.allows("http", "evil-mlops-api.mlops", 8080)).isFalse();
    }

    @Test
    void aTokenComesFromTheEnvironmentByNameAndIsNeverPrinted() {
        ActionWorkersConfig config = new ConfigLoader().load(ActionWorkersConfig.class, ActionWorkersConfig.DEFAULTS,
                null, Map.of("RUNSTREAM_HTTP_ACTIONS_SECRETS_CIRCUIT_RESET", "cb-reset-7f3a9c"));

        assertThat(config.httpActions().secret("circuit-reset")).contains("cb-reset-7f3a9c");
        assertThat(config.toString()).doesNotContain("cb-reset-7f3a9c");
    }

    @Test
    void aTokenComesFromAMountedSecretFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("circuit_reset_token"), "cb-from-file\n");

        HttpActionSettings settings = load(Map.of("RUNSTREAM_HTTP_ACTIONS_SECRET_FILES_CIRCUIT_RESET",
                file.toString()));

        assertThat(settings.secret("circuit-reset")).contains("cb-from-file");
        assertThat(settings.toString()).doesNotContain("cb-from-file");
    }

    @Test
    void anUnreadableSecretFileFailsAtStartupNamingTheKey(@TempDir Path dir) {
        assertThatThrownBy(() -> load(Map.of("RUNSTREAM_HTTP_ACTIONS_SECRET_FILES_CIRCUIT_RESET",
                dir.resolve("missing").toString()))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("httpActions.secretFiles.circuit.reset").hasMessageContaining("cannot be read");
    }

    @Test
    void anAllowListEntryWithASchemePathOrWildcardFailsAtStartup(@TempDir Path dir) {
        for (String entry : new String[] {"http://mlops-api.mlops:8080", "mlops-api.mlops/api", "'*.mlops'"}) {
            assertThatThrownBy(() -> loadFile(dir, "httpActions: {allowedHosts: [" + entry + "]}"))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("httpActions.allowedHosts")
                    .hasMessageContaining("is not a host or host:port");
        }
    }

    @Test
    void aTimeoutOverTheMaximumOrAnUnboundedBodyFailsAtStartup() {
        assertThatThrownBy(() -> load(Map.of("RUNSTREAM_HTTP_ACTIONS_REQUEST_TIMEOUT", "2m")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("requestTimeout <= maxTimeout");
        assertThatThrownBy(() -> load(Map.of("RUNSTREAM_HTTP_ACTIONS_MAX_RESPONSE_BYTES", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("httpActions.maxResponseBytes");
    }

    private static HttpActionSettings loadFile(Path dir, String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("workers.yaml"), yaml);
        return new ConfigLoader().load(ActionWorkersConfig.class, ActionWorkersConfig.DEFAULTS, file, Map.of())
                .httpActions();
    }

    private static HttpActionSettings load(Map<String, String> environment) {
        return new ConfigLoader().load(ActionWorkersConfig.class, ActionWorkersConfig.DEFAULTS, null, environment)
                .httpActions();
    }
}
