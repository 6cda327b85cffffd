package io.runstream.processor.recovery;

import java.time.Duration;

/**
 * Recovery validation (runbook 003: watch the error rate for 10 minutes before calling it resolved): after a
 * remediation succeeded, the incident resolves once its alerts (the runbooks' own thresholds: errors under
 * 1 %, p95 under 1 s) have stayed resolved for {@code hold}; if they have not all resolved within
 * {@code deadline}, the remediation did not help and the runbook's next step runs.
 */
public record RecoveryPolicy(Duration hold, Duration deadline) {

    public RecoveryPolicy {
        if (hold == null || hold.isNegative() || deadline == null || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("recovery hold must be >= 0 and deadline > 0");
        }
    }

    public static RecoveryPolicy defaults() {
        return new RecoveryPolicy(Duration.ofMinutes(10), Duration.ofMinutes(15));
    }
}
