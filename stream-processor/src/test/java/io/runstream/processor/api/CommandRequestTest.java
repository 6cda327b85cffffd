package io.runstream.processor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The body of an incident command against hostile input: each is a 400 naming the field, never a 500. */
class CommandRequestTest {

    private static final Instant NOW = Instant.parse("2026-11-22T18:00:00Z");

    @Test
    void deeplyNestedJsonIsRefusedNamingTheNestingLimit() {
        String nested = "{\"actor\":\"alice\",\"note\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";

        assertThatThrownBy(() -> parse(nested)).isInstanceOf(BadRequest.class)
                .hasMessageContaining("nesting depth")
                .satisfies(e -> assertThat(((BadRequest) e).parameter()).isEqualTo("body"));
    }

    @Test
    void oversizedFieldsWrongTypesAndNonObjectsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> parse("{\"actor\":\"" + "a".repeat(5000) + "\"}")).isInstanceOf(BadRequest.class)
                .satisfies(e -> assertThat(((BadRequest) e).parameter()).isEqualTo("actor"));
        assertThatThrownBy(() -> parse("{\"actor\":{\"name\":\"alice\"}}")).isInstanceOf(BadRequest.class)
                .satisfies(e -> assertThat(((BadRequest) e).parameter()).isEqualTo("actor"));
        assertThatThrownBy(() -> parse("[\"alice\"]")).isInstanceOf(BadRequest.class)
                .satisfies(e -> assertThat(((BadRequest) e).parameter()).isEqualTo("body"));
        assertThatThrownBy(() -> parse("{\"actor\":\"a\",\"actor\":\"b\"}")).isInstanceOf(BadRequest.class);
        assertThatThrownBy(() -> parse("\u0000\u00ff\u00fe")).isInstanceOf(BadRequest.class);
    }

    private static void parse(String body) {
        CommandRequest.parse("INC-1", "comment", body.getBytes(StandardCharsets.UTF_8), null, NOW);
    }
}
