package io.runstream.processor.correlation;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import io.runstream.avro.Alert;
import io.runstream.avro.Incident;
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

    private CorrelationStage() {
    }

    /** Returns the incident changes keyed by incident id. */
    public static KStream<String, IncidentChange> apply(StreamsBuilder builder, KStream<String, Alert> alerts,
            Topic<String, Alert> alertsTopic, Topic<String, Incident> incidentsTopic, CorrelationPolicy policy,
            SeverityClassifier severities, CorrelationMetrics metrics) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE),
                incidentsTopic.keySerde(), incidentsTopic.valueSerde()));
        return alerts
                .selectKey((fingerprint, alert) -> CorrelationKey.of(alert.getLabels(), policy.groupBy()),
                        Named.as(KEY_PROCESSOR))
                .repartition(Repartitioned.<String, Alert>as(REPARTITION)
                        .withKeySerde(alertsTopic.keySerde()).withValueSerde(alertsTopic.valueSerde()))
                .process(() -> new IncidentCorrelator(STORE, policy, severities, metrics), Named.as(PROCESSOR), STORE);
    }
}
