package io.runstream.processor.runbook;

/**
 * Where an incident is in its runbook, as kept in {@code runbook-progress-store} (correlation key -> progress):
 * the step being tried, the command it issued (or would issue once approved), and its status.
 */
record RunbookProgress(String incidentId, String runbook, int step, String commandId, Status status) {

    enum Status { AWAITING_APPROVAL, ISSUED, DONE, EXHAUSTED }

    private static final char SEPARATOR = '\u001f';

    /** A unit-separated line; runbook names and incident ids cannot contain the separator. */
    String encode() {
        return incidentId + SEPARATOR + runbook + SEPARATOR + step + SEPARATOR + commandId + SEPARATOR + status;
    }

    static RunbookProgress decode(String text) {
        String[] parts = text.split(String.valueOf(SEPARATOR), -1);
        if (parts.length != 5) {
            throw new IllegalStateException("runbook-progress-store holds an unreadable entry: " + parts.length
                    + " fields");
        }
        return new RunbookProgress(parts[0], parts[1], Integer.parseInt(parts[2]), parts[3], Status.valueOf(parts[4]));
    }

    RunbookProgress with(Status next) {
        return new RunbookProgress(incidentId, runbook, step, commandId, next);
    }
}
