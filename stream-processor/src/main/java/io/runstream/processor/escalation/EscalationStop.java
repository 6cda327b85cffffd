package io.runstream.processor.escalation;

import java.util.Locale;

import io.runstream.avro.Incident;
import io.runstream.avro.IncidentState;

/**
 * When an escalation step stops applying (runbook 001, "Escalation Decision Tree"): every step stops at
 * resolution; {@link #ACKNOWLEDGED} (the default) also at acknowledgement; {@link #MITIGATED} also when a
 * remediation succeeded and recovery is being watched ("page tech lead after 5 min if not improving");
 * {@link #RESOLVED} only at resolution ("page VP Engineering after 15 min if not resolved").
 */
public enum EscalationStop {
    ACKNOWLEDGED, MITIGATED, RESOLVED;

    /** Whether a step with this stop still fires for the incident as it is now. */
    public boolean stillApplies(Incident incident) {
        if (incident.getState() == IncidentState.RESOLVED) {
            return false;
        }
        return switch (this) {
            case RESOLVED -> true;
            case ACKNOWLEDGED -> incident.getAcknowledgedAt() == null;
            case MITIGATED -> incident.getAcknowledgedAt() == null && incident.getMitigatedAt() == null;
        };
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
