package io.runstream.processor.correlation;

import java.time.Duration;
import java.util.List;

/**
 * How alerts group into incidents, from the {@code correlation:} section of the rules file.
 *
 * @param groupBy      alert labels whose values form the correlation key, like Alertmanager's {@code group_by}
 * @param reopenWindow an incident whose key fires again within this time after it resolved is reopened
 *                     instead of a new one being opened (flap suppression)
 */
public record CorrelationPolicy(List<String> groupBy, Duration reopenWindow) {

    public CorrelationPolicy {
        if (groupBy == null || groupBy.isEmpty()) {
            throw new IllegalArgumentException("correlation.groupBy must name at least one label");
        }
        groupBy = List.copyOf(groupBy);
        if (reopenWindow == null || reopenWindow.isNegative()) {
            throw new IllegalArgumentException("correlation.reopenWindow must be zero or positive, was " + reopenWindow);
        }
    }

    /** Default: one incident per namespace and service, reopened when it fires again within 30 minutes. */
    public static CorrelationPolicy defaults() {
        return new CorrelationPolicy(List.of("namespace", "service"), Duration.ofMinutes(30));
    }
}
