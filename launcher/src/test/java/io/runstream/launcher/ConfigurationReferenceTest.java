package io.runstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** docs/configuration.md stays the whole reference: every key of every service's defaults file is in it. */
class ConfigurationReferenceTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");

    @ParameterizedTest
    @ValueSource(strings = {"ingest-connector-defaults.yaml", "stream-processor-defaults.yaml",
        "action-workers-defaults.yaml"})
    void everyDefaultKeyIsDocumented(String defaults) throws IOException {
        JsonNode tree;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(defaults)) {
            assertThat(in).as(defaults + " on the classpath").isNotNull();
            tree = YAML.readTree(in);
        }
        String reference = Files.readString(REFERENCE);

        List<String> keys = new ArrayList<>();
        collectLeafKeys("", tree, keys);

        assertThat(keys).isNotEmpty();
        assertThat(keys).as("keys of %s missing from %s", defaults, REFERENCE)
                .allSatisfy(key -> assertThat(reference).contains("`" + key + "`"));
    }

    /** A leaf is a scalar, a list, null or an empty map: what a user sets as one value. */
    private static void collectLeafKeys(String prefix, JsonNode node, List<String> keys) {
        if (!node.isObject() || node.isEmpty()) {
            keys.add(prefix);
            return;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            collectLeafKeys(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), keys);
        }
    }
}
