package io.runstream.processor.escalation;

/**
 * The name of an escalation timer: which chain scheduled it ({@code P1}..{@code P4} for a severity's chain,
 * {@code alert:<alertname>} for an alert's own chain), the step (or {@link Timer#REMINDER}) and the incident's
 * episode (0 while it never reopened, then its reopen count), written {@code chain.step} or {@code chain.step#n}.
 * A timer left over from an earlier episode or from a replaced chain therefore never fires into the current one.
 */
public record TimerName(String chain, String step, int episode) {

    private static final String ALERT_CHAIN = "alert:";

    public TimerName {
        if (chain.indexOf('.') >= 0 || chain.indexOf('#') >= 0 || step.indexOf('#') >= 0) {
            throw new IllegalArgumentException("a timer's chain cannot contain '.' or '#', nor its step '#': "
                    + chain + "." + step);
        }
    }

    public static TimerName ofAlert(String alertname, String step, int episode) {
        return new TimerName(ALERT_CHAIN + alertname, step, episode);
    }

    /** Null when the name is not an escalation timer's (a recovery timer's, say). */
    public static TimerName parse(String name) {
        int dot = name.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        int hash = name.indexOf('#', dot);
        String step = hash < 0 ? name.substring(dot + 1) : name.substring(dot + 1, hash);
        int episode = 0;
        if (hash >= 0) {
            try {
                episode = Integer.parseInt(name.substring(hash + 1));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return new TimerName(name.substring(0, dot), step, episode);
    }

    @Override
    public String toString() {
        return chain + "." + step + (episode == 0 ? "" : "#" + episode);
    }

    /** The alertname of an alert's chain, or null for a severity's chain. */
    public String alertname() {
        return chain.startsWith(ALERT_CHAIN) ? chain.substring(ALERT_CHAIN.length()) : null;
    }

    public boolean isReminder() {
        return Timer.REMINDER.equals(step);
    }
}
