package io.runstream.processor.escalation;

/**
 * One scheduled escalation step or status reminder. Its store key starts with the zero-padded due time, so that
 * the due timers are one range scan from the start of the store: a punctuation costs what is due, not what is
 * open.
 *
 * @param name an escalation step's name, or {@link #REMINDER}
 */
public record Timer(long dueMillis, String incidentId, String name, String correlationKey) {

    public static final String REMINDER = "status-update";

    public Timer {
        if (incidentId.indexOf('|') >= 0 || name.indexOf('|') >= 0) {
            throw new IllegalArgumentException("incident ids and timer names cannot contain '|'");
        }
    }

    String key() {
        return String.format("%015d", dueMillis) + '|' + incidentId + '|' + name + '|' + correlationKey;
    }

    /** The key just after every timer due at or before {@code nowMillis}. */
    static String upperBound(long nowMillis) {
        return String.format("%015d", nowMillis) + "|~";
    }

    static Timer parse(String key) {
        int first = key.indexOf('|');
        int second = key.indexOf('|', first + 1);
        int third = key.indexOf('|', second + 1);
        return new Timer(Long.parseLong(key.substring(0, first)), key.substring(first + 1, second),
                key.substring(second + 1, third), key.substring(third + 1));
    }

    boolean isReminder() {
        return REMINDER.equals(name);
    }
}
