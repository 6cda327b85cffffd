package io.runstream.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runstream.processor.rules.RulesFile;
import io.runstream.processor.rules.RunbooksFiles;
import io.runstream.processor.runbook.Runbooks;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;

/**
 * Pins the topologies' processors, stores and topics: the single application's ({@code streams.topology: single},
 * and what the TopologyTestDriver tests run) and the two of {@code split}. Renaming one orphans the state and
 * changelog of every running deployment, so such a change must show up in review as a change to the pinned
 * description. Regenerate deliberately with {@code -Drunstream.pinTopology=true}.
 */
class TopologyDescriptionTest {

    private static final Path PINNED = Path.of("src/test/resources/topology-description.txt");
    private static final Path PINNED_DETECTION = Path.of("src/test/resources/topology-description-detection.txt");
    private static final Path PINNED_INCIDENTS = Path.of("src/test/resources/topology-description-incidents.txt");

    private final TopicCatalog topics = new TopicCatalog(TopicSettings.DEFAULTS, RunstreamSerdes.avro());
    private final RulesFile rules = RulesFile.defaults();
    private final Runbooks runbooks = RunbooksFiles.load(null);

    @Test
    void topologyMatchesThePinnedDescription() throws IOException {
        try (TopologyFixture pipeline = new TopologyFixture()) {
            assertPinned(PINNED, pipeline.topology);
        }
    }

    @Test
    void splitTopologiesMatchTheirPinnedDescriptions() throws IOException {
        assertPinned(PINNED_DETECTION, detection());
        assertPinned(PINNED_INCIDENTS, incidents());
    }

    @Test
    void splitTopologiesAreTheSingleTopologysNodesAndStoresCutAtTheAlertsAndServiceImpactTopics() {
        // The TopologyTestDriver tests run the single topology: they hold for split only if it is the same nodes.
        Topology single = RunstreamTopology.build(topics, rules, runbooks, new SimpleMeterRegistry(), properties());
        Set<String> splitNodes = new TreeSet<>(nodes(detection()));
        splitNodes.addAll(nodes(incidents()));

        assertThat(splitNodes).isEqualTo(new TreeSet<>(nodes(single)));
        assertThat(stores(detection())).doesNotContainAnyElementsOf(stores(incidents()));
        Set<String> splitStores = new TreeSet<>(stores(detection()));
        splitStores.addAll(stores(incidents()));
        assertThat(splitStores).isEqualTo(stores(single));
        assertThat(sinkTopics(detection())).containsExactlyInAnyOrder(topics.alerts().name(),
                topics.serviceImpact().name());
    }

    private Topology detection() {
        return RunstreamTopology.buildDetection(topics, rules, new SimpleMeterRegistry(), properties());
    }

    private Topology incidents() {
        return RunstreamTopology.buildIncidents(topics, rules, runbooks, new SimpleMeterRegistry(), properties());
    }

    private static Properties properties() {
        Properties props = new Properties();
        RunstreamTopology.applySettings(props);
        return props;
    }

    private static Set<String> nodes(Topology topology) {
        return topology.describe().subtopologies().stream().flatMap(s -> s.nodes().stream())
                .map(TopologyDescription.Node::name).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> stores(Topology topology) {
        return topology.describe().subtopologies().stream().flatMap(s -> s.nodes().stream())
                .filter(node -> node instanceof TopologyDescription.Processor)
                .flatMap(node -> ((TopologyDescription.Processor) node).stores().stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> sinkTopics(Topology topology) {
        return topology.describe().subtopologies().stream().flatMap(s -> s.nodes().stream())
                .filter(node -> node instanceof TopologyDescription.Sink)
                .map(node -> ((TopologyDescription.Sink) node).topic())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static void assertPinned(Path pinned, Topology topology) throws IOException {
        String actual = topology.describe().toString().trim() + "\n";
        if (Boolean.getBoolean("runstream.pinTopology")) {
            Files.writeString(pinned, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual)
                .as("the topology changed; if the rename is intended (and state migration is planned), regenerate "
                        + pinned + " with -Drunstream.pinTopology=true")
                .isEqualTo(Files.readString(pinned, StandardCharsets.UTF_8));
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
