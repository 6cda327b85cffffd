package io.runstream.processor.correlation;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import io.runstream.avro.Alert;
import io.runstream.avro.Incident;
import io.runstream.processor.escalation.EscalationPolicy;
import io.runstream.processor.severity.SeverityClassifier;
import io.runstream.schemas.Topic;

/**
 * Stages 3 and 4 of DESIGN.md: alerts (keyed by fingerprint) are re-keyed by correlation key, repartitioned
 * so one task owns each key, and folded into incidents ranked by severity.
 */
public final class CorrelationStage {

    public static final String KEY_PROCESSOR = "correlation-key";
    public static final String REPARTITION = "alerts-by-correlation-key";
    public static final String PROCESSOR = "correlation";
    public static final String STORE = "correlation-store";
    /** Escalation timers of the incidents this task owns, indexed by due time. */
    public static final String TIMERS_STORE = "escalation-timers-store";

    private CorrelationStage() {
    }

    /** Returns the incident changes keyed by incident id. */
    public static KStream<String, IncidentChange> apply(StreamsBuilder builder, KStream<String, Alert> alerts,
            Topic<String, Alert> alertsTopic, Topic<String, Incident> incidentsTopic, CorrelationPolicy policy,
            SeverityClassifier severities, EscalationPolicy escalation, CorrelationMetrics metrics) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE),
                incidentsTopic.keySerde(), incidentsTopic.valueSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TIMERS_STORE),
                Serdes.String(), Serdes.String()));
        return alerts
                .selectKey((fingerprint, alert) -> CorrelationKey.of(alert.getLabels(), policy.groupBy()),
                        Named.as(KEY_PROCESSOR))
                .repartition(Repartitioned.<String, Alert>as(REPARTITION)
                        .withKeySerde(alertsTopic.keySerde()).withValueSerde(alertsTopic.valueSerde()))
                .process(() -> new IncidentCorrelator(STORE, TIMERS_STORE, policy, severities, escalation, metrics),
                        Named.as(PROCESSOR), STORE, TIMERS_STORE);
    }
}
