package io.runstream.processor.escalation;

import java.time.Duration;
import java.util.Objects;

import io.runstream.avro.ActionType;

/**
 * One step of a severity's escalation chain: {@code after} the incident opened (or reached this severity),
 * unless it was acknowledged or resolved by then, send {@code type} (PAGE, NOTIFY or TICKET) to the channel
 * {@code channelKind/channel}, e.g. PAGE to {@code pagerduty/tech-lead} after 5 minutes.
 */
public record EscalationStep(String name, Duration after, ActionType type, String channelKind, String channel) {

    public EscalationStep {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,40}")) {
            throw new IllegalArgumentException("escalation step name must be lower-case letters, digits and '-', was '"
                    + name + "'");
        }
        if (after == null || after.isNegative()) {
            throw new IllegalArgumentException("escalation step " + name + ": after must be zero or positive");
        }
        Objects.requireNonNull(type, "type");
        if (type != ActionType.PAGE && type != ActionType.NOTIFY && type != ActionType.TICKET) {
            throw new IllegalArgumentException("escalation step " + name + ": type must be PAGE, NOTIFY or TICKET, was "
                    + type);
        }
        if (channelKind == null || channelKind.isBlank() || channel == null || channel.isBlank()) {
            throw new IllegalArgumentException("escalation step " + name + ": channelKind and channel are required");
        }
    }
}
