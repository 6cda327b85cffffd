package io.runstream.launcher.scenario;

import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;

import io.runstream.launcher.api.IncidentApiClient;

/**
 * Plays one scenario against a running stack: the story on its compressed clock, the narrator following the
 * incidents it causes. Returns when the story is over (or throws {@link ScenarioException} when the stack
 * refuses it).
 *
 * @param ingest       the ingest connector to replay into
 * @param api          the incident API to follow (and approve through, when it holds the write token)
 * @param dashboard    printed for people to look at
 * @param rollouts     where rollouts go (null: not published)
 * @param speed        event seconds per wall-clock second (1: real time)
 * @param approveAfter how long a step awaiting approval waits for a person
 */
public record ScenarioRunner(IngestClient ingest, IncidentApiClient api, URI dashboard, RolloutAnnouncer rollouts,
        double speed, Duration approveAfter) {

    public void play(Scenario scenario, PrintStream out) throws InterruptedException {
        Clock wall = Clock.systemUTC();
        StoryClock clock = new StoryClock(wall, speed, scenario.plannedEventTime());
        out.printf("Scenario %s: %s%n", scenario.name(), scenario.summary());
        out.printf("  about %d minutes of story at %sx speed; dashboard: %s%n", scenario.plannedEventTime().toMinutes(),
                speed == Math.rint(speed) ? Long.toString((long) speed) : Double.toString(speed), dashboard);
        out.flush();
        try (Narrator narrator = new Narrator(api, scenario.services(), dashboard, out).start()) {
            scenario.play(new Story(clock, ingest, api, rollouts, approveAfter, out, wall));
            narrator.flush();
        }
        out.printf("Scenario %s is over. Look back at it: runstream incidents list --service %s%n", scenario.name(),
                scenario.services().get(0));
        out.flush();
    }
}
