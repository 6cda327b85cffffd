package io.runstream.launcher.scenario;

import java.time.Duration;
import java.util.List;

/** A built-in story from the runbooks, replayed into a running stack through its real ingest endpoints. */
public interface Scenario {

    /** The name on the command line, e.g. {@code bad-rollout}. */
    String name();

    /** One line: what happens and which runbook it comes from. */
    String summary();

    /** The services whose incidents tell the story. */
    List<String> services();

    /** About how much event time the story takes, so that it can be stamped in the past (see {@link StoryClock}). */
    Duration plannedEventTime();

    void play(Story story) throws InterruptedException;
}
