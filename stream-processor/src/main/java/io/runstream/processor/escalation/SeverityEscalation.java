package io.runstream.processor.escalation;

import java.time.Duration;
import java.util.List;

/**
 * What one severity does while an incident is open: its escalation chain (stopped by acknowledgement) and its
 * status-update cadence (stopped only by resolution; zero means no reminders).
 */
public record SeverityEscalation(List<EscalationStep> steps, Duration statusUpdateEvery, String updateChannelKind,
        String updateChannel) {

    public SeverityEscalation {
        steps = List.copyOf(steps);
        if (statusUpdateEvery == null || statusUpdateEvery.isNegative()) {
            throw new IllegalArgumentException("statusUpdateEvery must be zero or positive");
        }
        if (!statusUpdateEvery.isZero() && statusUpdateEvery.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("statusUpdateEvery must be at least 1m, was " + statusUpdateEvery);
        }
    }

    public boolean remindsOfUpdates() {
        return !statusUpdateEvery.isZero();
    }
}
