package io.runstream.processor.runbook;

import java.util.Map;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;

import io.runstream.avro.ActionResult;
import io.runstream.avro.DeploymentEvent;
import io.runstream.processor.correlation.CarriedKeys;
import io.runstream.processor.correlation.CorrelationKey;
import io.runstream.processor.correlation.CorrelationPolicy;
import io.runstream.schemas.Topic;

/**
 * Brings what the runbook stage reads to the task that owns the incident's state, keyed by correlation key:
 * workers' results (published keyed by the correlation key they carry, so read where they are, with no
 * repartition and no lookup) and rollouts (a deployment is taken to serve the service of the same name, unless
 * the event names the service).
 */
public final class RunbookInputs {

    public static final String RESULTS_SOURCE = "action-results-source";
    /** Passes a result keyed by the key it carries; dead-letters any other (see {@link CarriedKeys}). */
    public static final String RESULTS_KEY_CHECK = "action-results-carried-key";
    public static final String ROLLOUTS_SOURCE = "deployment-events-source";
    public static final String ROLLOUTS_CORRELATION_KEY = "deployment-events-correlation-key";
    public static final String ROLLOUTS_BY_CORRELATION_KEY = "deployment-events-by-correlation-key";

    private RunbookInputs() {
    }

    /**
     * Results as the workers key them: by the correlation key they carry. Every topic has the same partition count,
     * so partition p of action-results belongs to the task that owns partition p of the alerts' repartition. A
     * result without the key, or keyed by another, goes to dead-letters (it might sit on another task's partition).
     */
    public static KStream<String, ActionResult> results(StreamsBuilder builder, Topic<String, ActionResult> topic) {
        return builder
                .stream(topic.name(), Consumed.with(topic.keySerde(), topic.valueSerde()).withName(RESULTS_SOURCE))
                .mapValues(CarriedKeys::routable, Named.as(RESULTS_KEY_CHECK));
    }

    public static KStream<String, DeploymentEvent> rollouts(StreamsBuilder builder,
            Topic<String, DeploymentEvent> topic, CorrelationPolicy correlation) {
        return builder
                .stream(topic.name(), Consumed.with(topic.keySerde(), topic.valueSerde()).withName(ROLLOUTS_SOURCE))
                .filter((key, rollout) -> rollout != null, Named.as(ROLLOUTS_SOURCE + "-present"))
                .selectKey((key, rollout) -> CorrelationKey.of(Map.of("namespace", rollout.getNamespace(),
                        "service", rollout.getService() != null ? rollout.getService() : rollout.getDeployment()),
                        correlation.groupBy()), Named.as(ROLLOUTS_CORRELATION_KEY))
                .repartition(Repartitioned.<String, DeploymentEvent>as(ROLLOUTS_BY_CORRELATION_KEY)
                        .withKeySerde(topic.keySerde()).withValueSerde(topic.valueSerde()));
    }
}
