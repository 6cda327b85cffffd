package io.runstream.launcher.scenario;

import java.time.Duration;
import java.util.List;

/**
 * Runbooks 001 and 004: the model API's traffic outgrows its replicas, p95 latency climbs above 1 s and stays
 * there; after its 5-minute 'for' HighLatency fires, the scale-on-saturation runbook issues {@code SCALE +2},
 * and once that has its result the extra replicas bring p95 back under 1 s, the alert resolves and so does the
 * incident.
 */
final class LatencySaturation implements Scenario {

    static final String SERVICE = "ml-model-api";
    static final String NAMESPACE = "ml-prod";

    @Override
    public String name() {
        return "latency-saturation";
    }

    @Override
    public String summary() {
        return "runbooks 001/004: p95 latency of ml-model-api above 1 s for 5 minutes; scaled up by 2, recovers";
    }

    @Override
    public List<String> services() {
        return List.of(SERVICE);
    }

    @Override
    public Duration plannedEventTime() {
        return Duration.ofMinutes(17);
    }

    @Override
    public void play(Story story) throws InterruptedException {
        RequestTraffic traffic = new RequestTraffic(SERVICE, NAMESPACE, 1000, true);
        story.say(SERVICE + " in " + NAMESPACE + " answers 95 % of predictions within 0.5 s");
        story.scrape(traffic, Duration.ofMinutes(2));
        traffic.latency(RequestTraffic.SATURATED);
        story.say("a traffic spike saturates its replicas: 70 % of predictions now take 1-2.5 s "
                + "(HighLatency fires once p95 stayed above 1 s for 5 minutes)");
        story.scrape(traffic, Duration.ofMinutes(7), story.timelineHas(SERVICE, "ACTION_RESULT", "SCALE"),
                Duration.ofMinutes(15), "no scale-up result after 15 minutes; recovering anyway");
        traffic.latency(RequestTraffic.FAST);
        story.say("two more replicas take the load (in dry run nothing changed: the scenario plays what they "
                + "would do): p95 back under 0.5 s; the alert resolves as the 5-minute window clears");
        story.scrape(traffic, Duration.ofMinutes(6), story.stateIs(SERVICE, "RESOLVED"), Duration.ofMinutes(15),
                "the incident did not resolve within 15 minutes of recovery");
    }
}
