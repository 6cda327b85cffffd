package io.runstream.processor.correlation;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;

import io.runstream.avro.Alert;
import io.runstream.avro.Incident;
import io.runstream.processor.StateStores;
import io.runstream.processor.escalation.TimerKeys;
import io.runstream.processor.recovery.PostIncidentRecord;
import io.runstream.processor.runbook.EpisodeProgress;
import io.runstream.processor.runbook.RecentRollouts;
import io.runstream.schemas.Topic;

/**
 * Stages 3 to 7 of DESIGN.md in the topology: alerts (keyed by fingerprint) are re-keyed by correlation key and
 * repartitioned so one task owns each key; with detection's impact changes ({@link ServiceImpact}), the commands,
 * results and rollouts already keyed so, each becomes an {@link IncidentInput} and all meet in one processor
 * ({@link IncidentCorrelator}), the single writer of the key's incident.
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
    /** Which runbook step each incident is at. */
    public static final String RUNBOOK_PROGRESS_STORE = "runbook-progress-store";
    /** When each key's deployment last rolled out. */
    public static final String ROLLOUTS_STORE = "recent-rollouts-store";
    /** The current incident's timeline entries, for the post-incident record. */
    public static final String RECORD_STORE = "incident-record-store";
    public static final String RESULT_INPUT = "correlation-result-input";
    public static final String ROLLOUT_INPUT = "correlation-rollout-input";
    public static final String IMPACT_INPUT = "correlation-impact-input";

    private CorrelationStage() {
    }

    /** Returns the incident changes keyed by incident id. */
    public static KStream<String, IncidentChange> apply(StreamsBuilder builder, StateStores stateStores,
            IncidentInputs inputs, Topic<String, Alert> alertsTopic, Topic<String, Incident> incidentsTopic,
            IncidentPolicies policies, CorrelationMetrics metrics) {
        builder.addStateStore(stateStores.keyValue(STORE, incidentsTopic.keySerde(), incidentsTopic.valueSerde()));
        builder.addStateStore(stateStores.keyValue(ROLLOUTS_STORE, Serdes.String(), RecentRollouts.serde()));
        builder.addStateStore(stateStores.keyValue(RUNBOOK_PROGRESS_STORE, Serdes.String(), EpisodeProgress.serde()));
        builder.addStateStore(stateStores.keyValue(RECORD_STORE, Serdes.String(), PostIncidentRecord.serde()));
        builder.addStateStore(stateStores.keyValue(TIMERS_STORE, Serdes.Bytes(), TimerKeys.valueSerde()));
        CorrelationPolicy policy = policies.correlation();
        KStream<String, IncidentInput> alertInputs = inputs.alerts()
                .selectKey((fingerprint, alert) -> CorrelationKey.of(alert.getLabels(), policy.groupBy()),
                        Named.as(KEY_PROCESSOR))
                .repartition(Repartitioned.<String, Alert>as(REPARTITION)
                        .withKeySerde(alertsTopic.keySerde()).withValueSerde(alertsTopic.valueSerde()))
                .<IncidentInput>mapValues(IncidentInput.AlertInput::new, Named.as(ALERT_INPUT));
        // Everything that changes an incident meets in one processor: its state has a single writer. Each input is
        // wrapped in its IncidentInput here, in memory: the topics and repartitions keep their own records.
        KStream<String, IncidentInput> all = alertInputs
                .merge(inputs.commands().<IncidentInput>mapValues(IncidentInput.CommandInput::new,
                        Named.as(COMMAND_INPUT)), Named.as(INPUTS))
                .merge(inputs.results().<IncidentInput>mapValues(IncidentInput.ResultInput::new,
                        Named.as(RESULT_INPUT)), Named.as(INPUTS + "-results"))
                .merge(inputs.rollouts().<IncidentInput>mapValues(IncidentInput.RolloutInput::new,
                        Named.as(ROLLOUT_INPUT)), Named.as(INPUTS + "-rollouts"))
                .merge(inputs.impact().<IncidentInput>mapValues(IncidentInput.ImpactInput::new,
                        Named.as(IMPACT_INPUT)), Named.as(INPUTS + "-impact"));
        CorrelationStores stores = new CorrelationStores(STORE, TIMERS_STORE, RUNBOOK_PROGRESS_STORE, ROLLOUTS_STORE,
                RECORD_STORE);
        return all.process(() -> new IncidentCorrelator(stores, policy, policies.severities(), policies.escalation(),
                policies.runbooks(), metrics), Named.as(PROCESSOR), STORE, TIMERS_STORE, RUNBOOK_PROGRESS_STORE,
                ROLLOUTS_STORE, RECORD_STORE);
    }
}
