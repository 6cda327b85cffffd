package io.runstream.processor.detection;

import java.util.HashMap;
import java.util.Map;

/**
 * What detection must remember per service (or per model for drift) besides the samples: the next event-time
 * step to evaluate (for drift, the last report's time), the namespace last seen, and the active alerts by
 * {@code rule/severity}. Mutable, owned by one stream task; persisted whole after each evaluation.
 */
final class EvaluationState {

    static final long UNSET = Long.MIN_VALUE;

    private long nextEvaluation;
    private String namespace;
    private final Map<String, ActiveAlert> active;

    EvaluationState(long nextEvaluation, String namespace, Map<String, ActiveAlert> active) {
        this.nextEvaluation = nextEvaluation;
        this.namespace = namespace;
        this.active = new HashMap<>(active);
    }

    static EvaluationState empty() {
        return new EvaluationState(UNSET, null, Map.of());
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

    /** Active (pending or firing) alerts by {@code rule/severity}; modified in place by {@link AlertLifecycle}. */
    Map<String, ActiveAlert> active() {
        return active;
    }
}
