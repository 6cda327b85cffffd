package io.runstream.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.runstream.avro.Alert;
import io.runstream.testing.RecordingHttpReceiver;

/** What the registry client sends (auth, content type) and how it reports a refusal, against a recording server. */
class SchemaRegistryClientTest {

    @Test
    void sendsBasicAuthAndTheRegistryContentType() throws Exception {
        try (RecordingHttpReceiver registry = RecordingHttpReceiver.answering(200, "{\"id\":7}")) {
            SchemaRegistryClient client = new SchemaRegistryClient(registry("user", "secret", null, registry));

            assertThat(client.register("runstream.alerts-value", Alert.getClassSchema())).isEqualTo(7);

            RecordingHttpReceiver.Request request = registry.requests().get(0);
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/apis/ccompat/v7/subjects/runstream.alerts-value/versions");
            assertThat(request.header("Content-Type")).contains("application/vnd.schemaregistry.v1+json");
            assertThat(request.header("Authorization")).contains("Basic "
                    + Base64.getEncoder().encodeToString("user:secret".getBytes(StandardCharsets.UTF_8)));
            assertThat(request.json().path("schema").asText()).contains("\"name\":\"Alert\"");
        }
    }

    @Test
    void sendsABearerToken() throws Exception {
        try (RecordingHttpReceiver registry = RecordingHttpReceiver.answering(200, "{\"id\":7}")) {
            new SchemaRegistryClient(registry(null, null, "t0ken", registry))
                    .register("runstream.alerts-value", Alert.getClassSchema());

            assertThat(registry.requests().get(0).header("Authorization")).contains("Bearer t0ken");
        }
    }

    @Test
    void aRefusalNamesTheCallTheStatusAndTheRegistrysMessage() throws Exception {
        try (RecordingHttpReceiver registry = RecordingHttpReceiver.answering(401,
                "{\"error_code\":40101,\"message\":\"Unauthorized\"}")) {
            SchemaRegistryClient client = new SchemaRegistryClient(registry(null, null, "wrong", registry));

            assertThatThrownBy(() -> client.register("runstream.alerts-value", Alert.getClassSchema()))
                    .isInstanceOf(SchemaRegistryException.class)
                    .hasMessageContaining("refused to register a schema under subject runstream.alerts-value")
                    .hasMessageContaining("HTTP 401 error_code 40101: Unauthorized")
                    .hasMessageNotContaining("wrong");
        }
    }

    private static SchemaSettings.Registry registry(String user, String password, String token,
            RecordingHttpReceiver receiver) {
        return new SchemaSettings.Registry(receiver.uri("/apis/ccompat/v7").toString(), true, user, password, token,
                null, null, null, null);
    }
}
