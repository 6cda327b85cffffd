package io.runstream.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.runstream.schemas.AvroSingleObjectFormat;
import io.runstream.schemas.RunstreamSerdes;

class SchemaSettingsTest {

    @Test
    void singleObjectEncodingIsTheDefaultAndNeedsNoRegistry() {
        SchemaSettings defaults = new SchemaSettings(null, null);

        assertThat(defaults.confluent()).isFalse();
        assertThat(RunstreamSerdes.from(defaults).format().name()).isEqualTo(AvroSingleObjectFormat.NAME);
    }

    @Test
    void confluentNeedsARegistryUrl() {
        assertThatThrownBy(() -> new SchemaSettings("confluent", registry("", null, null, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schemas.registry.url");
    }

    @Test
    void refusesAnUnknownFormatNamingTheChoices() {
        assertThatThrownBy(() -> new SchemaSettings("protobuf", null))
                .hasMessageContaining("schemas.format must be single-object or confluent, was 'protobuf'");
    }

    @Test
    void refusesBasicAuthTogetherWithABearerToken() {
        assertThatThrownBy(() -> registry("http://r:8080", "user", "pw", "token"))
                .hasMessageContaining("username/password or bearerToken, not both");
    }

    @Test
    void refusesAUrlThatIsNotHttp() {
        assertThatThrownBy(() -> registry("registry:8080", null, null, null))
                .hasMessageContaining("schemas.registry.url must be an http:// or https:// URL");
    }

    @Test
    void neverShowsTheSecrets() {
        assertThat(registry("http://r:8080/", "user", "pw-123", null).toString())
                .doesNotContain("pw-123").contains("url=http://r:8080,");
        assertThat(registry("http://r:8080", null, null, "tok-456").toString()).doesNotContain("tok-456");
    }

    private static SchemaSettings.Registry registry(String url, String user, String password, String token) {
        return new SchemaSettings.Registry(url, null, user, password, token, null, null, null, null);
    }
}
