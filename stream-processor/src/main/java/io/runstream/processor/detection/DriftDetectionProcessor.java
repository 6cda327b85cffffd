package io.runstream.processor.detection;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.runstream.avro.Alert;
import io.runstream.avro.DriftScore;
import io.runstream.processor.rules.DetectionRule;
import io.runstream.processor.rules.RuleKind;
import io.runstream.processor.rules.Threshold;

/**
 * Evaluates the drift rules per model at each drift report, in the report's event time: drift_share against
 * the report's driftShare, accuracy_drop against referenceAccuracy - accuracy (skipped, state unchanged, when
 * a report lacks either). A report older than the model's last one is dropped and counted: reports describe
 * the model's current state, so an older one must not undo a newer one. The model's versions are remembered
 * from the reports' {@code modelVersion}: its alerts carry {@code model_version} and, once the model was
 * reported under another version before, {@code previous_model_version} (what model-rollback switches back to,
 * runbook 001, "Model Performance Degradation", Step 3).
 */
final class DriftDetectionProcessor implements Processor<String, DriftScore, String, Alert> {

    private final List<DetectionRule> rules;
    private final DetectionMetrics metrics;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, EvaluationState> states;

    DriftDetectionProcessor(List<DetectionRule> rules, DetectionMetrics metrics) {
        this.rules = rules;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.states = context.getStateStore(DetectionStage.DRIFT_STATE_STORE);
    }

    @Override
    public void process(Record<String, DriftScore> record) {
        DriftScore score = record.value();
        if (score == null) {
            return;
        }
        String model = record.key() != null ? record.key() : score.getModel();
        long time = score.getTimestamp().toEpochMilli();
        EvaluationState state = states.get(model);
        if (state == null) {
            state = EvaluationState.empty();
        } else if (time < state.nextEvaluation()) {
            metrics.driftReportDropped(model);
            return;
        }
        state.modelVersionReported(score.getModelVersion());
        Map<String, String> subject = subject(model, score);
        Map<String, String> versions = versions(state);
        for (DetectionRule rule : rules) {
            double value = measure(rule.kind(), score);
            if (Double.isNaN(value)) {
                continue;
            }
            for (Threshold threshold : rule.thresholds()) {
                AlertLifecycle.step(state.active(), rule.name() + "/" + threshold.severity(), threshold.holds(value),
                        time, threshold.holdFor())
                        .ifPresent(transition -> forward(DetectedAlerts.alert(rule, threshold, subject, versions,
                                transition, time, value), time));
            }
        }
        state.nextEvaluation(time);
        states.put(model, state);
    }

    private static double measure(RuleKind kind, DriftScore score) {
        if (kind == RuleKind.DRIFT_SHARE) {
            return score.getDriftShare();
        }
        if (score.getAccuracy() == null || score.getReferenceAccuracy() == null) {
            return Double.NaN;
        }
        return score.getReferenceAccuracy() - score.getAccuracy();
    }

    private static Map<String, String> subject(String model, DriftScore score) {
        Map<String, String> labels = new HashMap<>();
        labels.put("model", model);
        if (score.getService() != null) {
            labels.put("service", score.getService());
        }
        if (score.getNamespace() != null) {
            labels.put("namespace", score.getNamespace());
        }
        return labels;
    }

    private static Map<String, String> versions(EvaluationState state) {
        Map<String, String> labels = new HashMap<>();
        if (state.modelVersion() != null) {
            labels.put("model_version", state.modelVersion());
        }
        if (state.previousModelVersion() != null) {
            labels.put("previous_model_version", state.previousModelVersion());
        }
        return labels;
    }

    private void forward(Alert alert, long time) {
        metrics.alertEmitted(alert.getLabels().get("alertname"), alert.getStatus().name());
        context.forward(new Record<>(alert.getFingerprint(), alert, time));
    }
}
