package io.runstream.processor.runbook;

import java.util.Map;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;

import io.runstream.avro.ActionResult;
import io.runstream.avro.DeploymentEvent;
import io.runstream.avro.Incident;
import io.runstream.processor.correlation.CorrelationKey;
import io.runstream.processor.correlation.CorrelationPolicy;
import io.runstream.schemas.Topic;

/**
 * Brings what the runbook stage reads to the task that owns the incident's state, keyed by correlation key:
 * workers' results (via the incidents table, by the result's incident id) and rollouts (a deployment is
 * taken to serve the service of the same name, unless the event names the service).
 */
public final class RunbookInputs {

    public static final String RESULTS_SOURCE = "action-results-source";
    public static final String RESULTS_INCIDENT_KEY = "action-results-incident-key";
    public static final String RESULTS_BY_INCIDENT = "action-results-by-incident";
    public static final String RESULTS_LOOKUP = "action-results-lookup";
    public static final String RESULTS_CORRELATION_KEY = "action-results-correlation-key";
    public static final String RESULTS_BY_CORRELATION_KEY = "action-results-by-correlation-key";
    public static final String ROLLOUTS_SOURCE = "deployment-events-source";
    public static final String ROLLOUTS_CORRELATION_KEY = "deployment-events-correlation-key";
    public static final String ROLLOUTS_BY_CORRELATION_KEY = "deployment-events-by-correlation-key";

    private RunbookInputs() {
    }

    record Routed(ActionResult result, String correlationKey) {
    }

    public static KStream<String, ActionResult> results(StreamsBuilder builder, Topic<String, ActionResult> topic,
            KTable<String, Incident> incidents, Topic<String, Incident> incidentsTopic) {
        return builder
                .stream(topic.name(), Consumed.with(topic.keySerde(), topic.valueSerde()).withName(RESULTS_SOURCE))
                .filter((commandId, result) -> result != null && result.getIncidentId() != null,
                        Named.as(RESULTS_SOURCE + "-present"))
                .selectKey((commandId, result) -> result.getIncidentId(), Named.as(RESULTS_INCIDENT_KEY))
                .repartition(Repartitioned.<String, ActionResult>as(RESULTS_BY_INCIDENT)
                        .withKeySerde(topic.keySerde()).withValueSerde(topic.valueSerde()))
                // Inner join: a result for an incident that never existed has no timeline to go on.
                .join(incidents, (result, incident) -> new Routed(result, incident.getCorrelationKey()),
                        Joined.with(topic.keySerde(), topic.valueSerde(), incidentsTopic.valueSerde())
                                .withName(RESULTS_LOOKUP))
                .map((incidentId, routed) -> KeyValue.pair(routed.correlationKey(), routed.result()),
                        Named.as(RESULTS_CORRELATION_KEY))
                .repartition(Repartitioned.<String, ActionResult>as(RESULTS_BY_CORRELATION_KEY)
                        .withKeySerde(topic.keySerde()).withValueSerde(topic.valueSerde()));
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
