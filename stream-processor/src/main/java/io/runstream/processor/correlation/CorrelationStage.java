package io.runstream.processor.correlation;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import org.apache.avro.specific.SpecificRecord;

import io.runstream.avro.Alert;
import io.runstream.avro.IncidentCommand;
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
    public static final String ALERT_INPUT = "correlation-alert-input";
    public static final String COMMAND_INPUT = "correlation-command-input";
    public static final String INPUTS = "correlation-inputs";
    public static final String PROCESSOR = "correlation";
    public static final String STORE = "correlation-store";
    /** Escalation timers of the incidents this task owns, indexed by due time. */
    public static final String TIMERS_STORE = "escalation-timers-store";

    private CorrelationStage() {
    }

    /** Returns the incident changes keyed by incident id. */
    public static KStream<String, IncidentChange> apply(StreamsBuilder builder, KStream<String, Alert> alerts,
            KStream<String, IncidentCommand> commandsByCorrelationKey, Topic<String, Alert> alertsTopic, Topic<String, Incident> incidentsTopic, CorrelationPolicy policy,
            SeverityClassifier severities, EscalationPolicy escalation, CorrelationMetrics metrics) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE),
                incidentsTopic.keySerde(), incidentsTopic.valueSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TIMERS_STORE),
                Serdes.String(), Serdes.String()));
        KStream<String, SpecificRecord> alertInputs = alerts
                .selectKey((fingerprint, alert) -> CorrelationKey.of(alert.getLabels(), policy.groupBy()),
                        Named.as(KEY_PROCESSOR))
                .repartition(Repartitioned.<String, Alert>as(REPARTITION)
                        .withKeySerde(alertsTopic.keySerde()).withValueSerde(alertsTopic.valueSerde()))
                .mapValues(alert -> (SpecificRecord) alert, Named.as(ALERT_INPUT));
        // Alerts and commands meet in one processor: the incident's state has a single writer.
        KStream<String, SpecificRecord> commandInputs = commandsByCorrelationKey
                .mapValues(command -> (SpecificRecord) command, Named.as(COMMAND_INPUT));
        return alertInputs.merge(commandInputs, Named.as(INPUTS))
                .process(() -> new IncidentCorrelator(STORE, TIMERS_STORE, policy, severities, escalation, metrics),
                        Named.as(PROCESSOR), STORE, TIMERS_STORE);
    }
}
