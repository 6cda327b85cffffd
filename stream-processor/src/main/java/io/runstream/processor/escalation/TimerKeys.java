package io.runstream.processor.escalation;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;

import io.runstream.avro.TimerState;
import io.runstream.schemas.StateSerdes;

/**
 * The keys and values of {@code escalation-timers-store}. A key is binary so that byte order is due order: the
 * due time as 8 bytes big-endian, then the incident id, the timer's name and the correlation key, each UTF-8 and
 * ended by a 0x00 byte (which sorts below every other byte, so the timers due at one time are ordered by incident,
 * then name). The value is the whole timer ({@link TimerState}).
 *
 * <p>The previous release keyed a timer by text, {@code <due millis zero-padded to 15 digits>|incidentId|name|
 * correlationKey}, with the name as the value. Such a key starts with an ASCII digit (0x30-0x39), a new one with
 * 0x00 (any due time before the year 2,280,000), so both live in one store without overlapping; the old ones are
 * moved to new keys once ({@link EscalationTimers}).
 */
public final class TimerKeys {

    private static final byte END = 0x00;
    /** After every key of one due time: UTF-8 never holds 0xFF. */
    private static final byte AFTER = (byte) 0xFF;
    /** The range of the previous release's keys: its first byte is a digit. */
    static final Bytes PREVIOUS_FIRST = Bytes.wrap(new byte[] {'0'});
    static final Bytes PREVIOUS_LAST = Bytes.wrap(new byte[] {'9' + 1});

    private TimerKeys() {
    }

    /** The serde of the store's values; a previous release's value (the timer's name) reads as a partial timer. */
    public static Serde<TimerState> valueSerde() {
        return StateSerdes.withPreviousText(TimerState.class, TimerKeys::fromPreviousValue);
    }

    static Bytes of(Timer timer) {
        byte[] incident = timer.incidentId().getBytes(StandardCharsets.UTF_8);
        byte[] name = timer.name().getBytes(StandardCharsets.UTF_8);
        byte[] key = timer.correlationKey().getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + incident.length + name.length + key.length + 3)
                .putLong(timer.dueMillis()).put(incident).put(END).put(name).put(END).put(key).put(END).array());
    }

    /** The key just after every timer due at or before {@code nowMillis}. */
    static Bytes upperBound(long nowMillis) {
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + 1).putLong(nowMillis).put(AFTER).array());
    }

    static boolean isPrevious(Bytes key) {
        byte first = key.get()[0];
        return first >= '0' && first <= '9';
    }

    /** A key of the previous release's store (see the class comment). */
    static Timer fromPreviousKey(Bytes key) {
        String text = new String(key.get(), StandardCharsets.UTF_8);
        int first = text.indexOf('|');
        int second = text.indexOf('|', first + 1);
        int third = text.indexOf('|', second + 1);
        if (first < 0 || second < 0 || third < 0) {
            throw new IllegalArgumentException("escalation-timers-store holds a key of neither release: '" + text
                    + "'");
        }
        return new Timer(Long.parseLong(text.substring(0, first)), text.substring(first + 1, second),
                text.substring(second + 1, third), text.substring(third + 1));
    }

    /**
     * The previous release kept only the name as the value, the rest being in the key: the timer is completed
     * from its key when {@link EscalationTimers} moves it.
     */
    private static TimerState fromPreviousValue(String name) {
        return TimerState.newBuilder().setDueAt(java.time.Instant.EPOCH).setIncidentId("").setName(name)
                .setCorrelationKey("").build();
    }
}
