package io.runstream.processor.detection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

import io.runstream.processor.rules.RulesFile;

/** Detection's nodes and stores keep their names across releases: a rename would orphan running state. */
class DetectionTopologyTest {

    @Test
    void namesEveryNodeAndStoreAndRepartitionsNothing() {
        List<String> nodes = new ArrayList<>();
        List<String> stores = new ArrayList<>();
        String description;
        try (DetectionFixture detection = new DetectionFixture(RulesFile.defaults())) {
            TopologyDescription topology = detection.topology.describe();
            description = topology.toString();
            for (TopologyDescription.Subtopology subtopology : topology.subtopologies()) {
                for (TopologyDescription.Node node : subtopology.nodes()) {
                    nodes.add(node.name());
                    if (node instanceof TopologyDescription.Processor processor) {
                        stores.addAll(processor.stores());
                    }
                }
            }
        }

        assertThat(nodes).containsExactlyInAnyOrder("detection-metric-samples-source",
                "detection-evaluate-metric-rules", DetectionStage.METRIC_ALERTS, DetectionStage.IMPACT_CHANGES,
                "detection-drift-scores-source", "detection-evaluate-drift-rules",
                "detection-merge-alerts", "detection-alerts-sink");
        assertThat(stores).containsExactlyInAnyOrder(DetectionStage.SAMPLES_STORE, DetectionStage.RULE_STATE_STORE,
                DetectionStage.SERVICE_HEALTH_STORE, DetectionStage.HEALTH_HISTORY_STORE, DetectionStage.DRIFT_STATE_STORE);
        assertThat(description).doesNotContain("repartition");
    }
}
