package io.runstream.processor.escalation;

import io.runstream.avro.Incident;

/**
 * An incident's episodes: it opens (episode 0), and each reopen inside the reopen window starts the next one.
 * Every command the processor issues for an episode carries the episode in its id, so a regression after
 * resolution pages again (runbook 001, "Monitor closely": "immediate re-escalation") instead of reaching the
 * workers under ids they already answered. Episode 0 keeps the ids of earlier releases.
 */
public final class Episodes {

    private Episodes() {
    }

    public static int number(Incident incident) {
        return incident.getReopenCount();
    }

    /** {@code INC-...} for the first episode, {@code INC-.../reopen-N} after the Nth reopen. */
    public static String commandIdPrefix(Incident incident) {
        int episode = number(incident);
        return episode == 0 ? incident.getId() : incident.getId() + "/reopen-" + episode;
    }
}
