package io.runstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.runstream.common.config.ConfigException;
import io.runstream.common.config.ConfigLoader;
import io.runstream.ingest.http.EndpointAuth;

class IngestConnectorConfigTest {

    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void defaultsCapBodiesAt10MiBAndKeySamplesByServiceThenJob() {
        IngestConnectorConfig config = load(Map.of());

        assertThat(config.ingest().maxBodyBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(config.ingest().produceTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.ingest().remoteWrite().serviceLabel()).isEqualTo("service");
        assertThat(config.ingest().remoteWrite().fallbackLabels()).isEqualTo(List.of("job"));
        assertThat(config.ingest().auth().alertmanager()).isEqualTo(EndpointAuth.none());
    }

    @Test
    void slackInteractivityIsOffUntilASigningSecretIsSetFromASecretFile(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        java.nio.file.Path secret = java.nio.file.Files.writeString(dir.resolve("slack_signing_secret"),
                "8f742231b10e8888abcd99yyyzzz85a5\n");

        assertThat(load(Map.of()).slack().enabled()).isFalse();
        IngestConnectorConfig config = load(Map.of("RUNSTREAM_SLACK_SIGNING_SECRET_FILE", secret.toString()));

        assertThat(config.slack().enabled()).isTrue();
        assertThat(config.slack().signingSecret()).isEqualTo("8f742231b10e8888abcd99yyyzzz85a5");
        assertThat(config.slack().maxAge()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.toString()).doesNotContain("8f742231");
        assertThatThrownBy(() -> load(Map.of("RUNSTREAM_SLACK_MAX_AGE", "1h"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("slack.maxAge");
    }

    @Test
    void environmentSetsCredentialsPerEndpointAndLimits() {
        IngestConnectorConfig config = load(Map.of(
                "RUNSTREAM_INGEST_AUTH_ALERTMANAGER_TYPE", "bearer",
                "RUNSTREAM_INGEST_AUTH_ALERTMANAGER_TOKEN", "am-secret-token",
                "RUNSTREAM_INGEST_MAX_BODY_BYTES", "2097152",
                "RUNSTREAM_INGEST_REMOTE_WRITE_SERVICE_LABEL", "app"));

        assertThat(config.ingest().auth().alertmanager().permits("Bearer am-secret-token")).isTrue();
        assertThat(config.ingest().auth().alertmanager().permits("Bearer am-secret-tokeN")).isFalse();
        assertThat(config.ingest().maxBodyBytes()).isEqualTo(2L * 1024 * 1024);
        assertThat(config.ingest().remoteWrite().serviceLabel()).isEqualTo("app");
    }

    @Test
    void refusesBearerWithoutTokenAndTinyProduceTimeoutNamingTheKey() {
        assertThatThrownBy(() -> load(Map.of("RUNSTREAM_INGEST_AUTH_DRIFT_TYPE", "bearer")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bearer needs a non-empty token");
        assertThatThrownBy(() -> load(Map.of("RUNSTREAM_INGEST_PRODUCE_TIMEOUT", "10ms")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ingest.produceTimeout");
    }

    @Test
    void refusesAnEndpointWithoutAuthenticationWhenListeningBeyondLoopback() {
        assertThatThrownBy(() -> load(Map.of("RUNSTREAM_HTTP_HOST", "0.0.0.0",
                "RUNSTREAM_INGEST_AUTH_ALERTMANAGER_TYPE", "bearer",
                "RUNSTREAM_INGEST_AUTH_ALERTMANAGER_TOKEN", "am-secret-token")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ingest.auth.remoteWrite, ingest.auth.drift, ingest.auth.pagerduty")
                .hasMessageNotContaining("ingest.auth.alertmanager");

        IngestConnectorConfig everyEndpointAuthenticated = load(Map.of("RUNSTREAM_HTTP_HOST", "0.0.0.0",
                "RUNSTREAM_INGEST_AUTH_ALERTMANAGER_TYPE", "bearer",
                "RUNSTREAM_INGEST_AUTH_ALERTMANAGER_TOKEN", "am-secret-token",
                "RUNSTREAM_INGEST_AUTH_REMOTE_WRITE_TYPE", "bearer",
                "RUNSTREAM_INGEST_AUTH_REMOTE_WRITE_TOKEN", "rw-secret-token",
                "RUNSTREAM_INGEST_AUTH_DRIFT_TYPE", "basic",
                "RUNSTREAM_INGEST_AUTH_DRIFT_USERNAME", "drift-job",
                "RUNSTREAM_INGEST_AUTH_DRIFT_PASSWORD", "drift-pass",
                "RUNSTREAM_INGEST_AUTH_PAGERDUTY_TYPE", "bearer",
                "RUNSTREAM_INGEST_AUTH_PAGERDUTY_TOKEN", "pd-secret-token"));
        assertThat(everyEndpointAuthenticated.http().host()).isEqualTo("0.0.0.0");
        assertThat(load(Map.of()).http().host()).as("open endpoints are fine on loopback").isEqualTo("127.0.0.1");
    }

    private IngestConnectorConfig load(Map<String, String> environment) {
        return loader.load(IngestConnectorConfig.class, IngestConnectorConfig.DEFAULTS, null, environment);
    }
}
