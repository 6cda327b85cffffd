package io.runstream.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * Pins the topology's processors, stores and topics. Renaming one orphans the state and changelog of every
 * running deployment, so such a change must show up in review as a change to the pinned description.
 * Regenerate deliberately with {@code -Drunstream.pinTopology=true}.
 */
class TopologyDescriptionTest {

    private static final Path PINNED = Path.of("src/test/resources/topology-description.txt");

    @Test
    void topologyMatchesThePinnedDescription() throws IOException {
        String actual;
        try (TopologyFixture pipeline = new TopologyFixture()) {
            actual = pipeline.topology.describe().toString().trim() + "\n";
        }
        if (Boolean.getBoolean("runstream.pinTopology")) {
            Files.writeString(PINNED, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual)
                .as("the topology changed; if the rename is intended (and state migration is planned), regenerate "
                        + PINNED + " with -Drunstream.pinTopology=true")
                .isEqualTo(Files.readString(PINNED, StandardCharsets.UTF_8));
    }

    @Test
    void everyNodeAndStoreIsNamedExplicitly() {
        try (TopologyFixture pipeline = new TopologyFixture()) {
            String description = pipeline.topology.describe().toString();
            // Generated names look like KSTREAM-MAPVALUES-0000000007 and shift when the topology changes.
            assertThat(description).doesNotContainPattern("K(STREAM|TABLE)-[A-Z]+-\\d{10}");
        }
    }
}
