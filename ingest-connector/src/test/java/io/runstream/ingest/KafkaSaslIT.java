package io.runstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.runstream.common.http.HttpSettings;
import io.runstream.common.kafka.KafkaSettings;
import io.runstream.kafka.EmbeddedKafkaBroker;
import io.runstream.kafka.FreePorts;

/**
 * Kafka client security passes through {@code kafka.client}: against a broker whose client listener requires
 * SASL/PLAIN, the connector produces with the configured credentials (every record it acknowledges is on the
 * topic) and does not start with a wrong password. The stream processor and the workers build their clients from
 * the same {@code KafkaSettings.clientProperties()}.
 */
class KafkaSaslIT {

    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"runstream\" password=\"%s\";";
    private EmbeddedKafkaBroker broker;
    private int saslPort;

    @BeforeEach
    void startBrokerWithASaslListener() {
        int plainPort = FreePorts.pick();
        saslPort = FreePorts.pick();
        // The harness keeps its PLAINTEXT listener (readiness checks); clients of the test use SASL_PLAINTEXT only.
        broker = EmbeddedKafkaBroker.builder().port(plainPort)
                .brokerProperty("listeners", "PLAINTEXT://127.0.0.1:" + plainPort + ",SASL_PLAINTEXT://127.0.0.1:"
                        + saslPort + ",CONTROLLER://127.0.0.1:" + FreePorts.pick())
                .brokerProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + plainPort
                        + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort)
                .brokerProperty("listener.security.protocol.map",
                        "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT")
                .brokerProperty("sasl.enabled.mechanisms", "PLAIN")
                .brokerProperty("listener.name.sasl_plaintext.plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required "
                                + "user_runstream=\"sasl-secret-42\";")
                .build().start();
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void producesThroughSaslWithTheConfiguredCredentialsAndRefusesToStartWithWrongOnes() throws Exception {
        try (ConnectorFixture fixture = connector("sasl-secret-42")) {
            HttpResponse<String> accepted = fixture.postAlerts(Payloads.ALERTMANAGER_FIRING_AND_RESOLVED);

            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
            assertThat(fixture.get("/health/ready").statusCode()).isEqualTo(200);
        }
        assertThatThrownBy(() -> connector("wrong-password").close())
                .hasStackTraceContaining("Authentication failed");
    }

    private ConnectorFixture connector(String password) {
        KafkaSettings sasl = new KafkaSettings("127.0.0.1:" + saslPort, "sasl.", 1, (short) 1, Map.of(
                "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", JAAS.formatted(password)));
        return new ConnectorFixture(sasl, ConnectorFixture.settings(), HttpSettings.loopback(),
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }
}
