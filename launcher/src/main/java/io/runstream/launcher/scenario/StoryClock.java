package io.runstream.launcher.scenario;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A scenario's event time. Detection windows run on the samples' timestamps, so a story of twenty minutes can
 * be told in two: at speed S, every wall-clock second moves the story S seconds. The story is stamped in the
 * past so that, told without waiting, it ends at the wall clock, and event time never passes the wall clock
 * (the stream processor drops samples from the future): if the story runs long, it goes on in real time.
 * While the story waits for the pipeline to react it runs in real time ({@link #slowDown()}), which keeps its
 * budget of compressed time for the parts that need it. Escalation and recovery timers stay wall-clock timers
 * of the stream processor.
 */
public final class StoryClock {

    private final Clock wall;
    private final double speed;
    private final Instant eventStart;
    private Instant anchorWall;
    private Instant anchorEvent;
    private double currentSpeed;

    /**
     * @param planned how much event time the story expects to take at full speed
     */
    public StoryClock(Clock wall, double speed, Duration planned) {
        if (!(speed >= 1)) {
            throw new IllegalArgumentException("speed must be at least 1, was " + speed);
        }
        this.wall = wall;
        this.speed = speed;
        this.anchorWall = wall.instant();
        this.eventStart = anchorWall.minusMillis(Math.round(planned.toMillis() * (1 - 1 / speed)));
        this.anchorEvent = eventStart;
        this.currentSpeed = speed;
    }

    /** The story's present. */
    public synchronized Instant now() {
        return eventAt(wall.instant());
    }

    /** Where the story began (its event time zero). */
    public Instant start() {
        return eventStart;
    }

    /** From now on the story moves in real time (while it waits for the pipeline). */
    public synchronized void slowDown() {
        reanchor(1);
    }

    /** Back to the story's speed. */
    public synchronized void resume() {
        reanchor(speed);
    }

    /** How long the wall clock must wait until the story reaches {@code event}; zero when it has. */
    public synchronized Duration untilEvent(Instant event) {
        Instant wallNow = wall.instant();
        if (!eventAt(wallNow).isBefore(event)) {
            return Duration.ZERO;
        }
        long compressed = Math.round(Duration.between(anchorEvent, event).toMillis() / currentSpeed);
        Instant wallAt = anchorWall.plusMillis(compressed);
        if (event.isAfter(wallAt)) {
            wallAt = event; // past the wall clock the story runs in real time
        }
        Duration wait = Duration.between(wallNow, wallAt);
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    public double speed() {
        return speed;
    }

    private void reanchor(double newSpeed) {
        Instant wallNow = wall.instant();
        anchorEvent = eventAt(wallNow);
        anchorWall = wallNow;
        currentSpeed = newSpeed;
    }

    private Instant eventAt(Instant wallNow) {
        long elapsed = Duration.between(anchorWall, wallNow).toMillis();
        Instant compressed = anchorEvent.plusMillis(Math.round(elapsed * currentSpeed));
        return compressed.isAfter(wallNow) ? wallNow : compressed;
    }
}
