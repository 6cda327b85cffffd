package io.runstream.processor.detection;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What detection must remember per service (or per model for drift) besides the samples: the next event-time
 * step to evaluate (for drift, the last report's time), the namespace last seen, the active alerts by
 * {@code rule/severity} (plus the group's labels for rules with {@code by:}), the metrics of absent rules the
 * service has sent at least once (so that silence is told from never having sent), and for drift the model
 * version last reported and the one reported before it (the version a model rollback goes back to). Mutable,
 * owned by one stream task; persisted whole after each evaluation.
 */
final class EvaluationState {

    static final long UNSET = Long.MIN_VALUE;

    private long nextEvaluation;
    private String namespace;
    private final Map<String, ActiveAlert> active;
    private final Set<String> sent;
    private String modelVersion;
    private String previousModelVersion;

    EvaluationState(long nextEvaluation, String namespace, Map<String, ActiveAlert> active, Set<String> sent) {
        this(nextEvaluation, namespace, active, sent, null, null);
    }

    EvaluationState(long nextEvaluation, String namespace, Map<String, ActiveAlert> active, Set<String> sent,
            String modelVersion, String previousModelVersion) {
        this.nextEvaluation = nextEvaluation;
        this.namespace = namespace;
        this.active = new HashMap<>(active);
        this.sent = new HashSet<>(sent);
        this.modelVersion = modelVersion;
        this.previousModelVersion = previousModelVersion;
    }

    static EvaluationState empty() {
        return new EvaluationState(UNSET, null, Map.of(), Set.of());
    }

    /** True once the service has sent a sample of {@code metric} (tracked for the metrics absent rules read). */
    boolean hasSent(String metric) {
        return sent.contains(metric);
    }

    /** Records that the service sent {@code metric}; true when that is new. */
    boolean sent(String metric) {
        return sent.add(metric);
    }

    Set<String> sentMetrics() {
        return sent;
    }

    long nextEvaluation() {
        return nextEvaluation;
    }

    void nextEvaluation(long time) {
        nextEvaluation = time;
    }

    String namespace() {
        return namespace;
    }

    void namespace(String value) {
        namespace = value;
    }

    String modelVersion() {
        return modelVersion;
    }

    String previousModelVersion() {
        return previousModelVersion;
    }

    /** A report's model version: when it differs from the last one, that one becomes the previous version. */
    void modelVersionReported(String version) {
        if (version == null || version.equals(modelVersion)) {
            return;
        }
        if (modelVersion != null) {
            previousModelVersion = modelVersion;
        }
        modelVersion = version;
    }

    /** Active (pending or firing) alerts by {@code rule/severity}; modified in place by {@link AlertLifecycle}. */
    Map<String, ActiveAlert> active() {
        return active;
    }
}
