package io.runstream.launcher;

import java.time.Duration;

import io.runstream.common.config.DurationParser;

/** The pacing options of a scenario, checked before anything starts: a speed of at least 1 and a duration. */
record ScenarioPace(double speed, Duration approveAfter) {

    /** @throws IllegalArgumentException naming the option and what it takes */
    static ScenarioPace of(double speed, String approveAfter) {
        if (!(speed >= 1)) {
            throw new IllegalArgumentException("--speed must be at least 1 (1 is real time), was " + speed);
        }
        try {
            return new ScenarioPace(speed, DurationParser.parse(approveAfter));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--approve-after: " + e.getMessage());
        }
    }
}
