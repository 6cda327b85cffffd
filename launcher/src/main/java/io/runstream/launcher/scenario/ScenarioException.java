package io.runstream.launcher.scenario;

/** A scenario cannot go on: the stack refused or could not be reached. The message says what to do. */
public final class ScenarioException extends RuntimeException {

    public ScenarioException(String message) {
        super(message);
    }
}
