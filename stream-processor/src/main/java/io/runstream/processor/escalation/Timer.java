package io.runstream.processor.escalation;

import java.time.Instant;

import io.runstream.avro.TimerState;

/**
 * One scheduled escalation step or status reminder (or a recovery, approval or retention timer). Its store key
 * starts with the due time ({@link TimerKeys}), so that the due timers are one range scan from the start of the
 * store: a punctuation costs what is due, not what is open.
 *
 * @param name an escalation step's name, or {@link #REMINDER}
 */
public record Timer(long dueMillis, String incidentId, String name, String correlationKey) {

    public static final String REMINDER = "status-update";

    public Timer {
        // the key ends each of them with 0x00; the correlation key comes last, so it needs no such rule
        if (incidentId.indexOf('\0') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("incident ids and timer names cannot contain U+0000");
        }
    }

    static Timer of(TimerState state) {
        return new Timer(state.getDueAt().toEpochMilli(), state.getIncidentId(), state.getName(),
                state.getCorrelationKey());
    }

    TimerState toState() {
        return TimerState.newBuilder().setDueAt(Instant.ofEpochMilli(dueMillis)).setIncidentId(incidentId)
                .setName(name).setCorrelationKey(correlationKey).build();
    }

    boolean isReminder() {
        return REMINDER.equals(name);
    }
}
