package io.runstream.launcher.scenario;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.runstream.avro.DeploymentEvent;
import io.runstream.launcher.api.ApiException;
import io.runstream.launcher.api.IncidentApiClient;
import io.runstream.schemas.PartitionKeys;

/**
 * What a scenario plays with: the story's clock, the ingest connector, the incident API (to wait for the
 * pipeline's reactions instead of guessing how long they take) and the console. Metric traffic is scraped every
 * 15 s of event time, like a Prometheus scrape interval, and each scrape is remote-written at once.
 */
public final class Story {

    static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(15);
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    private final StoryClock clock;
    private final IngestClient ingest;
    private final IncidentApiClient api;
    private final RolloutAnnouncer rollouts;
    private final Duration approveAfter;
    private final PrintStream out;
    private final Clock wall;
    private Instant cursor;

    /**
     * @param rollouts     null when the stack's Kafka is not known: the rollout is then only told, not published
     * @param approveAfter how long a step awaiting approval waits for a person before the scenario approves it
     */
    public Story(StoryClock clock, IngestClient ingest, IncidentApiClient api, RolloutAnnouncer rollouts,
            Duration approveAfter, PrintStream out, Clock wall) {
        this.clock = clock;
        this.ingest = ingest;
        this.api = api;
        this.rollouts = rollouts;
        this.approveAfter = approveAfter;
        this.out = out;
        this.wall = wall;
        this.cursor = clock.start();
    }

    /** A condition on the stack's state, checked between scrapes. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws InterruptedException;
    }

    public IngestClient ingest() {
        return ingest;
    }

    /**
     * The wall clock's present: the stamp of what the story sends that no event-time window reads (alerts from
     * Alertmanager, which the connector stamps on arrival anyway, and drift reports), so that their incident's
     * timeline stays in order with the stream processor's own wall-clock entries.
     */
    public java.time.Instant wallNow() {
        return wall.instant();
    }

    /** The story's present event time (where its last scrape was stamped). */
    public Instant now() {
        return cursor;
    }

    public void say(String line) {
        long seconds = Duration.between(clock.start(), cursor).toSeconds();
        out.printf("  story %02d:%02d  %s%n", seconds / 60, seconds % 60, line);
        out.flush();
    }

    /** Scrapes {@code traffic} for exactly {@code duration} of event time. */
    public void scrape(Traffic traffic, Duration duration) throws InterruptedException {
        scrape(traffic, duration, () -> true, duration, null);
    }

    /**
     * Scrapes {@code traffic} for at least {@code atLeast} until {@code until} holds, but no longer than
     * {@code atMost} (then {@code gaveUp} is said, when given). Past {@code atLeast} the story waits in real time,
     * checking the condition every second. Answers whether the condition held.
     */
    public boolean scrape(Traffic traffic, Duration atLeast, Condition until, Duration atMost, String gaveUp)
            throws InterruptedException {
        Instant phaseStart = cursor;
        boolean waiting = false;
        try {
            while (true) {
                Instant at = cursor.plus(SCRAPE_INTERVAL);
                Duration wait = clock.untilEvent(at);
                if (waiting && wait.compareTo(CHECK_INTERVAL) > 0) {
                    sleep(CHECK_INTERVAL);
                    if (until.holds()) {
                        return true;
                    }
                    continue;
                }
                sleep(wait);
                ingest.remoteWrite(traffic.scrape(at));
                cursor = at;
                Duration elapsed = Duration.between(phaseStart, cursor);
                if (elapsed.compareTo(atLeast) >= 0) {
                    if (until.holds()) {
                        return true;
                    }
                    if (!waiting) {
                        clock.slowDown();
                        waiting = true;
                    }
                }
                if (elapsed.compareTo(atMost) >= 0) {
                    if (gaveUp != null) {
                        say(gaveUp);
                    }
                    return false;
                }
            }
        } finally {
            if (waiting) {
                clock.resume();
            }
        }
    }

    /** Lets {@code duration} of event time pass without scraping (for stories told by alerts and reports). */
    public void pass(Duration duration) throws InterruptedException {
        cursor = cursor.plus(duration);
        sleep(clock.untilEvent(cursor));
    }

    /** Waits on the wall clock (polling each second) until the condition holds; answers whether it did. */
    public boolean await(Condition condition, Duration atMost) throws InterruptedException {
        Instant giveUp = wall.instant().plus(atMost);
        clock.slowDown();
        try {
            while (!condition.holds()) {
                if (wall.instant().isAfter(giveUp)) {
                    return false;
                }
                sleep(CHECK_INTERVAL); // a poll of the incident API, not a guess at timing
            }
            return true;
        } finally {
            clock.resume();
            cursor = later(cursor, clock.now());
        }
    }

    /** Publishes a rollout, as the Deployment watcher would; without Kafka it can only say so. */
    public void rollout(DeploymentEvent event) {
        if (rollouts == null) {
            say("(the rollout cannot be published: deployment-events needs Kafka, give --bootstrap-servers; "
                    + "without it no 'after a rollout' runbook matches)");
            return;
        }
        rollouts.announce(PartitionKeys.deploymentEvent(event), event);
    }

    /** The newest incident of the service with its alerts and timeline, if there is one and the API answers. */
    public Optional<JsonNode> incidentOf(String service) throws InterruptedException {
        try {
            List<JsonNode> items = api.list(Map.of("service", service), 1);
            return items.isEmpty() ? Optional.empty() : Optional.of(api.incident(items.get(0).path("id").asText()));
        } catch (ApiException e) {
            return Optional.empty();
        }
    }

    /** Whether the service's newest incident has a timeline entry of this type whose message contains the text. */
    public Condition timelineHas(String service, String type, String containing) {
        return () -> incidentOf(service).map(incident -> hasEntry(incident, type, containing)).orElse(false);
    }

    /**
     * Whether the service's newest incident is in this state with the entry of that name on its timeline: the
     * timeline is indexed from incident-events, a commit behind the record, and the story is told from both.
     */
    public Condition stateIs(String service, String state) {
        return () -> incidentOf(service).map(incident -> reached(incident, state)).orElse(false);
    }

    static boolean reached(JsonNode incident, String state) {
        return state.equals(incident.path("state").asText()) && hasEntry(incident, state, "");
    }

    static boolean hasEntry(JsonNode incident, String type, String containing) {
        for (JsonNode entry : incident.path("timeline")) {
            if (type.equals(entry.path("type").asText()) && entry.path("message").asText().contains(containing)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A step of the service's runbook waits for approval: gives a person {@code approveAfter} to approve it (in
     * the dashboard or with {@code runstream approve}), then approves it itself when it holds the write token.
     */
    public void approveWhenAsked(String service, Duration atMost) throws InterruptedException {
        if (!await(timelineHas(service, "ACTION_AWAITING_APPROVAL", ""), atMost)) {
            say("no step asked for approval within " + atMost.toSeconds() + " s");
            return;
        }
        String id = incidentOf(service).map(i -> i.path("id").asText()).orElse("?");
        say("approve it: the dashboard's approve button, or  runstream approve " + id);
        if (await(timelineHas(service, "APPROVED", ""), approveAfter)) {
            return;
        }
        try {
            api.command(id, "approve", Map.of("actor", "runstream-scenario",
                    "note", "approved by the scenario after " + approveAfter.toSeconds() + " s"));
            say("nobody approved within " + approveAfter.toSeconds() + " s: the scenario approved it");
        } catch (ApiException e) {
            say("cannot approve: " + e.getMessage());
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static void sleep(Duration duration) throws InterruptedException {
        if (!duration.isZero()) {
            Thread.sleep(duration.toMillis()); // pacing the replay to the story's clock
        }
    }
}
