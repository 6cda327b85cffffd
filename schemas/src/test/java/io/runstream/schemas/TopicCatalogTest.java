package io.runstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicCatalogTest {

    private final TopicCatalog catalog = new TopicCatalog(new TopicSettings("acme.", 3, (short) 1),
            RunstreamSerdes.avro());

    @Test
    void prefixesEveryTopicOfTheDesign() {
        assertThat(catalog.all()).extracting(Topic::name).containsExactly(
                "acme.alerts", "acme.metric-samples", "acme.drift-scores", "acme.deployment-events",
                "acme.incident-commands", "acme.incidents", "acme.incident-events", "acme.action-commands",
                "acme.action-results", "acme.dead-letters", "acme.service-impact");
    }

    @Test
    void compactsIncidentsAndKeepsDeadLettersAndTheAuditTrailLong() {
        assertThat(catalog.incidents().spec().cleanupPolicy()).isEqualTo("compact");
        // the active segment is never compacted: incidents-store restores from this topic, so it rolls often
        assertThat(catalog.incidents().spec().configs()).containsEntry("segment.ms", "600000")
                .containsEntry("segment.bytes", "67108864").doesNotContainKey("delete.retention.ms");
        assertThat(catalog.deadLetters().spec().configs()).containsEntry("retention.ms", "2592000000");
        assertThat(catalog.actionResults().spec().configs()).containsEntry("retention.ms", "7776000000");
        assertThat(catalog.alerts().spec().cleanupPolicy()).isEqualTo("delete");
    }

    @Test
    void givesEveryTopicTheConfiguredPartitionCountSoJoinsStayCoPartitioned() {
        assertThat(catalog.specs()).allSatisfy(spec -> assertThat(spec.partitions()).isEqualTo(3));
    }

    @Test
    void rejectsAPrefixKafkaWouldRefuse() {
        assertThatThrownBy(() -> new TopicSettings("bad prefix/", 3, (short) 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bad prefix/'");
    }

    @Test
    void rejectsZeroPartitions() {
        assertThatThrownBy(() -> new TopicSettings("ok.", 0, (short) 1))
                .hasMessageContaining("partitions must be 1..10000, was 0");
    }
}
