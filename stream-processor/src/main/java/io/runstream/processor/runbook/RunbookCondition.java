package io.runstream.processor.runbook;

import java.time.Duration;

/**
 * Context a runbook needs besides its alerts: a rollout of the service's deployment within
 * {@code recentRollout}, a measured error rate above {@code errorRateAbove}, a p95 above
 * {@code latencyP95Above}. Null means "not required".
 */
public record RunbookCondition(Duration recentRollout, Double errorRateAbove, Double latencyP95Above) {

    public static RunbookCondition none() {
        return new RunbookCondition(null, null, null);
    }
}
