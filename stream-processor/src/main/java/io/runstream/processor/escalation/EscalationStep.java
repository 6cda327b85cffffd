package io.runstream.processor.escalation;

import java.time.Duration;
import java.util.Objects;

import io.runstream.avro.ActionType;

/**
 * One step of an escalation chain: {@code after} the chain started (the incident opened, reopened, reached this
 * severity, or the chain's alert attached), unless the step's {@code until} was reached by then, send {@code type}
 * (PAGE, NOTIFY or TICKET) to the channel {@code channelKind/channel}, e.g. PAGE to {@code pagerduty/tech-lead}
 * after 5 minutes.
 */
public record EscalationStep(String name, Duration after, ActionType type, String channelKind, String channel,
        EscalationStop until) {

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
        Objects.requireNonNull(until, "until");
    }

    /** A step that stops at acknowledgement, the usual rule. */
    public EscalationStep(String name, Duration after, ActionType type, String channelKind, String channel) {
        this(name, after, type, channelKind, channel, EscalationStop.ACKNOWLEDGED);
    }

    /** {@code kind/name}, as channels are written in configuration and remembered on the incident. */
    public String channelId() {
        return channelKind + "/" + channel;
    }
}
