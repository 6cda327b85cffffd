package io.runstream.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    @Test
    void toStringHidesEveryPasswordTypedClientSettingButShowsTheRest() {
        KafkaSettings settings = new KafkaSettings("kafka-1:9093", "runstream.", 6, (short) 3, Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"runstream\" password=\"scram-pass-42\";",
                "ssl.truststore.location", "/etc/kafka/truststore.p12",
                "ssl.truststore.password", "trust-pass-42",
                "ssl.keystore.password", "store-pass-42",
                "ssl.key.password", "key-pass-42",
                "ssl.keystore.key", "-----BEGIN PRIVATE KEY-----pem-key-42"));

        String shown = settings.toString();

        assertThat(shown).doesNotContain("scram-pass-42", "trust-pass-42", "store-pass-42", "key-pass-42",
                "pem-key-42", "ScramLoginModule");
        assertThat(shown).contains("security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512",
                "ssl.truststore.location=/etc/kafka/truststore.p12", "sasl.jaas.config=[hidden]",
                "bootstrapServers=kafka-1:9093");
    }

    @Test
    void clientPropertiesPassEverySecuritySettingThroughUnchanged() {
        KafkaSettings settings = new KafkaSettings("kafka-1:9093", "runstream.", 6, (short) 3, Map.of(
                "security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "jaas-with-secret", "ssl.truststore.password", "trust-pass-42"));

        assertThat(settings.clientProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN").containsEntry("sasl.jaas.config", "jaas-with-secret")
                .containsEntry("ssl.truststore.password", "trust-pass-42")
                .containsEntry("bootstrap.servers", "kafka-1:9093");
    }
}
