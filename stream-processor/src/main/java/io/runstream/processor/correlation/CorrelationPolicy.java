package io.runstream.processor.correlation;

import java.time.Duration;
import java.util.List;

/**
 * How alerts group into incidents, from the {@code correlation:} section of the rules file.
 *
 * @param groupBy      alert labels whose values form the correlation key, like Alertmanager's {@code group_by}
 * @param reopenWindow an incident whose key fires again within this time after it resolved is reopened
 *                     instead of a new one being opened (flap suppression)
 * @param retention    how long a resolved incident is kept (state, timeline, runbook progress, post-incident
 *                     record) before it is deleted with a tombstone on {@code incidents}; at least the reopen
 *                     window, so that deletion never decides whether an alert reopens an incident
 */
public record CorrelationPolicy(List<String> groupBy, Duration reopenWindow, Duration retention) {

    /** Long enough for a post-mortem. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

    public CorrelationPolicy {
        if (groupBy == null || groupBy.isEmpty()) {
            throw new IllegalArgumentException("correlation.groupBy must name at least one label");
        }
        groupBy = List.copyOf(groupBy);
        if (reopenWindow == null || reopenWindow.isNegative()) {
            throw new IllegalArgumentException("correlation.reopenWindow must be zero or positive, was " + reopenWindow);
        }
        if (retention == null || retention.compareTo(reopenWindow) < 0 || retention.isZero()) {
            throw new IllegalArgumentException("correlation.retention must be positive and at least correlation"
                    + ".reopenWindow (" + reopenWindow + "), was " + retention);
        }
    }

    /** With the default retention. */
    public CorrelationPolicy(List<String> groupBy, Duration reopenWindow) {
        this(groupBy, reopenWindow, DEFAULT_RETENTION);
    }

    /**
     * Default: one incident per namespace and service, reopened when it fires again within 30 minutes, kept for
     * 30 days after it resolved.
     */
    public static CorrelationPolicy defaults() {
        return new CorrelationPolicy(List.of("namespace", "service"), Duration.ofMinutes(30), DEFAULT_RETENTION);
    }
}
