package io.runstream.processor.escalation;

import java.time.Duration;
import java.util.List;

/**
 * What one severity does while an incident is open: its escalation chain (stopped by acknowledgement) and its
 * status-update cadence (stopped only by resolution; zero means no reminders), sent to the update channel and to
 * every channel of {@code alsoUpdate} (kind/name, e.g. statuspage/public, jira/ML: runbook 003 updates Slack and
 * the status page alike).
 */
public record SeverityEscalation(List<EscalationStep> steps, Duration statusUpdateEvery, String updateChannelKind,
        String updateChannel, List<String> alsoUpdate) {

    public SeverityEscalation(List<EscalationStep> steps, Duration statusUpdateEvery, String updateChannelKind,
            String updateChannel) {
        this(steps, statusUpdateEvery, updateChannelKind, updateChannel, List.of());
    }

    public SeverityEscalation {
        steps = List.copyOf(steps);
        alsoUpdate = List.copyOf(alsoUpdate);
        for (String channel : alsoUpdate) {
            if (channel.indexOf('/') <= 0 || channel.endsWith("/")) {
                throw new IllegalArgumentException("status update channel must be kind/name, was '" + channel + "'");
            }
        }
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

    /** Every channel a status update goes to: the update channel first, then {@code alsoUpdate}. */
    public List<String> updateChannels() {
        List<String> channels = new java.util.ArrayList<>();
        channels.add(updateChannelKind + "/" + updateChannel);
        alsoUpdate.stream().filter(c -> !channels.contains(c)).forEach(channels::add);
        return channels;
    }
}
