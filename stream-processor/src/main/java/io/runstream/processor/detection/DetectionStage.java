package io.runstream.processor.detection;

import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

import org.apache.avro.specific.SpecificRecord;

import io.runstream.avro.Alert;
import io.runstream.avro.DriftScore;
import io.runstream.avro.MetricSample;
import io.runstream.avro.ServiceHealth;
import io.runstream.processor.StateStores;
import io.runstream.processor.rules.RulesFile;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.Topic;
import io.runstream.schemas.TopicCatalog;

/**
 * Stage 1 of the topology: detection. Reads metric-samples (keyed by service) and drift-scores (keyed by
 * model), evaluates the rules file's rules in event time and writes each alert transition to alerts, keyed by
 * fingerprint, source DETECTION. Both inputs are already keyed by what their state is per, so nothing is
 * repartitioned. Every node and store is named; the service-health-store and its bounded history, the
 * service-health-history-store, are queryable.
 * <ul>
 * <li>Metric rules are evaluated per service at event-time steps of {@code evaluation.interval} (15 s), each
 * step once the service's samples are {@code evaluation.lateGrace} (30 s) past it, with PromQL's semantics
 * ({@link PromQl}); a threshold fires once it held at every step for its {@code for} (startsAt = the first
 * such step) and resolves at the first step where it does not hold (endsAt = that step). Samples later than
 * the grace, or stamped more than 10 minutes ahead of the wall clock, are dropped and counted
 * ({@link DetectionMetrics}). A service silent for 5 minutes of wall-clock time is evaluated on, its event
 * time carried forward, so its alerts resolve as its samples leave the ranges and its absent rules
 * ({@code ServiceSilent}) fire: silent, not healthy. Rules that select series by label ({@code gauge},
 * {@code increase}, {@code terminations}, {@code absent}) raise one alert per group of their {@code by:} labels
 * (docs/detection-rules.md).</li>
 * <li>Drift rules are evaluated at each drift report, at the report's time.</li>
 * <li>An alert carries labels alertname, severity, service and namespace (or model, plus service and
 * namespace when the report names them) and the rule's labels; annotations value (plain decimal, absent when
 * resolved for lack of samples), kind and the rule's own. Fingerprint: {@link Fingerprints}, Alertmanager's.
 * receivedAt and the record timestamp are the evaluation's event time, so a replay emits identical alerts.</li>
 * <li>Live impact: an evaluation whose health crosses into another band of the severity policy's
 * {@code errorRate} thresholds also emits that health, keyed by service, for correlation (not to a topic of
 * detection's own); a record per crossing, not per evaluation.</li>
 * </ul>
 */
public final class DetectionStage {

    /** service -> {@link ServiceHealth}, updated at each evaluation; for interactive queries. */
    public static final String SERVICE_HEALTH_STORE = "service-health-store";
    /** service|window end -> {@link ServiceHealth}: each service's last 30 minutes of measurements, for charts. */
    public static final String HEALTH_HISTORY_STORE = "service-health-history-store";
    /** The accepted samples of every service's window, one entry per sample. */
    public static final String SAMPLES_STORE = "detection-samples-store";
    /** service -> next evaluation step, namespace and active (pending or firing) metric alerts. */
    public static final String RULE_STATE_STORE = "detection-rule-state-store";
    /** model -> last report time and active drift alerts. */
    public static final String DRIFT_STATE_STORE = "detection-drift-state-store";

    /** The metric evaluation's alert transitions. */
    public static final String METRIC_ALERTS = "detection-metric-alerts";
    /** The metric evaluation's healths that crossed into another impact band (runbook 001, Severity Levels). */
    public static final String IMPACT_CHANGES = "detection-impact-changes";

    private DetectionStage() {
    }

    /**
     * What detection emits: the detected alerts (keyed by fingerprint, also written to alerts) and the services'
     * impact changes (keyed by service).
     */
    public record Detected(KStream<String, Alert> alerts, KStream<String, ServiceHealth> impactChanges) {
    }

    /** Adds detection to {@code builder}. */
    public static Detected addTo(StreamsBuilder builder, StateStores stores, TopicCatalog topics, RulesFile rules,
            DetectionMetrics metrics) {
        addStores(builder, stores);
        List<CompiledRule> metricRules = rules.metricRules().stream().map(CompiledRule::of).toList();
        Topic<String, MetricSample> samples = topics.metricSamples();
        KStream<String, SpecificRecord> evaluated = builder
                .stream(samples.name(), Consumed.with(samples.keySerde(), samples.valueSerde())
                        .withName("detection-metric-samples-source"))
                .process(() -> new MetricDetectionProcessor(metricRules, rules.evaluation(), rules.severity(),
                        metrics), Named.as("detection-evaluate-metric-rules"), SAMPLES_STORE, RULE_STATE_STORE,
                        SERVICE_HEALTH_STORE, HEALTH_HISTORY_STORE);
        KStream<String, Alert> metricAlerts = evaluated.flatMapValues(
                record -> record instanceof Alert alert ? List.of(alert) : List.<Alert>of(),
                Named.as(METRIC_ALERTS));
        KStream<String, ServiceHealth> impactChanges = evaluated.flatMapValues(
                record -> record instanceof ServiceHealth health ? List.of(health) : List.<ServiceHealth>of(),
                Named.as(IMPACT_CHANGES));
        Topic<String, DriftScore> drift = topics.driftScores();
        KStream<String, Alert> driftAlerts = builder
                .stream(drift.name(), Consumed.with(drift.keySerde(), drift.valueSerde())
                        .withName("detection-drift-scores-source"))
                .process(() -> new DriftDetectionProcessor(rules.driftRules(), metrics),
                        Named.as("detection-evaluate-drift-rules"), DRIFT_STATE_STORE);
        KStream<String, Alert> detected = metricAlerts.merge(driftAlerts, Named.as("detection-merge-alerts"));
        Topic<String, Alert> alerts = topics.alerts();
        detected.to(alerts.name(), Produced.with(alerts.keySerde(), alerts.valueSerde())
                .withName("detection-alerts-sink"));
        return new Detected(detected, impactChanges);
    }

    private static void addStores(StreamsBuilder builder, StateStores stores) {
        builder.addStateStore(stores.keyValue(SAMPLES_STORE, Serdes.Bytes(), Serdes.ByteArray(),
                StateStores.Changelog.CHURNING));
        builder.addStateStore(stores.keyValue(RULE_STATE_STORE, Serdes.String(), EvaluationStateSerde.serde()));
        builder.addStateStore(stores.keyValue(DRIFT_STATE_STORE, Serdes.String(), EvaluationStateSerde.serde()));
        // The health store's changelog holds a released Avro contract: the API and runbooks read it.
        builder.addStateStore(stores.keyValue(SERVICE_HEALTH_STORE,
                Serdes.String(), RunstreamSerdes.avro().serde(ServiceHealth.class)));
        builder.addStateStore(stores.keyValue(HEALTH_HISTORY_STORE,
                Serdes.String(), RunstreamSerdes.avro().serde(ServiceHealth.class)));
    }
}
