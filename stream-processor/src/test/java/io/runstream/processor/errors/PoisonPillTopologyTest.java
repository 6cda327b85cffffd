package io.runstream.processor.errors;

import static io.runstream.processor.TopologyFixture.firing;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.IncidentEvent;
import io.runstream.processor.TopologyFixture;
import io.runstream.schemas.DeadLetterHeaders;
import io.runstream.schemas.RunstreamSerdes;

/**
 * Every input topic of the topology survives records it cannot read: bytes that are not Avro, and Avro of
 * another record type. Each lands in dead-letters with its reason and origin, and the pipeline goes on.
 */
class PoisonPillTopologyTest {

    private final TopologyFixture pipeline = new TopologyFixture();

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void deadLettersUnreadableRecordsOnEveryInputTopicAndKeepsGoing() {
        List<String> inputs = List.of(pipeline.topics.alerts().name(), pipeline.topics.metricSamples().name(),
                pipeline.topics.driftScores().name(), pipeline.topics.incidentCommands().name(),
                pipeline.topics.actionResults().name(), pipeline.topics.deploymentEvents().name(),
                pipeline.topics.incidents().name(), pipeline.topics.incidentEvents().name());
        byte[] wrongType = RunstreamSerdes.avro().serde(IncidentEvent.class).serializer().serialize("x",
                IncidentEvent.newBuilder().setEventId("e").setIncidentId("INC-1")
                        .setType(io.runstream.avro.IncidentEventType.COMMENTED)
                        .setAt(TopologyFixture.T0).setMessage("not what this topic carries").build());
        for (String topic : inputs) {
            TestInputTopic<byte[], byte[]> raw = pipeline.driver.createInputTopic(topic, new ByteArraySerializer(),
                    new ByteArraySerializer());
            raw.pipeInput("k".getBytes(StandardCharsets.UTF_8), "not avro at all".getBytes(StandardCharsets.UTF_8),
                    TopologyFixture.T0);
            raw.pipeInput("k".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, 0x01, 1, 2, 3},
                    TopologyFixture.T0);
            if (!topic.equals(pipeline.topics.incidentEvents().name())) {
                raw.pipeInput("k".getBytes(StandardCharsets.UTF_8), wrongType, TopologyFixture.T0);
            }
        }

        List<TestRecord<byte[], byte[]>> dead = pipeline.deadLetters.readRecordsToList();
        assertThat(dead).hasSize(inputs.size() * 3 - 1);
        assertThat(dead).allSatisfy(record -> {
            assertThat(header(record, DeadLetterHeaders.REASON)).isEqualTo("deserialization");
            assertThat(header(record, DeadLetterHeaders.ERROR)).isNotBlank();
            assertThat(header(record, DeadLetterHeaders.SOURCE_OFFSET)).matches("\\d+");
        });
        assertThat(dead).extracting(record -> header(record, DeadLetterHeaders.SOURCE_TOPIC))
                .containsAll(inputs);

        // and the pipeline still works
        pipeline.send(firing("f-after", "HighErrorRate", "critical", "inference-gateway", Map.of()),
                Duration.ofSeconds(1));
        assertThat(pipeline.incidents.readValuesToList()).hasSize(1);
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
