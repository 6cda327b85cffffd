package io.runstream.processor.correlation;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

import io.runstream.avro.ServiceHealth;
import io.runstream.schemas.Topic;

/**
 * How detection's impact changes reach the incident stages: through the {@code service-impact} topic, keyed by the
 * correlation key of the incident they belong to, so the incident stages read them already keyed (no
 * repartition) whether detection runs in the same Kafka Streams application or in its own.
 */
public final class ServiceImpact {

    public static final String KEY_PROCESSOR = "service-impact-correlation-key";
    public static final String SINK = "service-impact-sink";
    public static final String SOURCE = "service-impact-source";

    private ServiceImpact() {
    }

    /**
     * Detection's side: keys each impact change (keyed by service) as its service's alerts are keyed, from the
     * service and namespace (so only a {@code groupBy} of those labels lets impact reach an incident), and writes
     * it to {@code topic}. Every topic has one partition count, so its partitions line up with the alerts'.
     */
    public static void publish(KStream<String, ServiceHealth> impactChanges, Topic<String, ServiceHealth> topic,
            CorrelationPolicy policy) {
        impactChanges
                .selectKey((service, health) -> CorrelationKey.ofService(health.getService(), health.getNamespace(),
                        policy.groupBy()), Named.as(KEY_PROCESSOR))
                .to(topic.name(), Produced.with(topic.keySerde(), topic.valueSerde()).withName(SINK));
    }

    /** The incident stages' side: the impact changes, keyed by correlation key. */
    public static KStream<String, ServiceHealth> read(StreamsBuilder builder, Topic<String, ServiceHealth> topic) {
        return builder.stream(topic.name(), Consumed.with(topic.keySerde(), topic.valueSerde()).withName(SOURCE));
    }
}
