package io.runstream.launcher.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.runstream.avro.DeploymentEvent;

/**
 * Runbook 003: the inference gateway rolls out revision 7, then 12 % of its requests fail with 5xx. Detection
 * raises HighErrorRate, the incident opens (P2, then P1 above 10 %), escalates, and the rollback-after-rollout
 * runbook issues {@code ROLLOUT_UNDO}; once the rollback has its result, the gateway serves revision 6's healthy
 * traffic again, the alerts resolve and so does the incident.
 */
final class BadRollout implements Scenario {

    static final String SERVICE = "inference-gateway";
    static final String NAMESPACE = "ml-prod";

    @Override
    public String name() {
        return "bad-rollout";
    }

    @Override
    public String summary() {
        return "runbook 003: a rollout, then 12 % 5xx on inference-gateway; rolled back, recovers, resolves";
    }

    @Override
    public List<String> services() {
        return List.of(SERVICE);
    }

    @Override
    public Duration plannedEventTime() {
        return Duration.ofMinutes(20);
    }

    @Override
    public void play(Story story) throws InterruptedException {
        RequestTraffic traffic = new RequestTraffic(SERVICE, NAMESPACE, 1500, false);
        story.say(SERVICE + " in " + NAMESPACE + " serves 100 requests/s, 0.1 % of them fail");
        story.scrape(traffic, Duration.ofMinutes(2));
        story.rollout(DeploymentEvent.newBuilder().setNamespace(NAMESPACE).setDeployment(SERVICE)
                .setRevision(7).setPreviousRevision(6L).setImages(Map.of("gateway", "registry.local/inference-gateway:2.4.0"))
                .setChangeCause("deploy inference-gateway 2.4.0").setRolledOutAt(story.now()).build());
        story.say("rollout: deployment " + NAMESPACE + "/" + SERVICE + " revision 6 -> 7 (image 2.4.0)");
        story.scrape(traffic, Duration.ofMinutes(1));
        traffic.errorShare(0.12);
        story.say("revision 7 is bad: 12 % of requests now fail with 5xx (HighErrorRate fires after its 'for')");
        story.scrape(traffic, Duration.ofMinutes(6), story.timelineHas(SERVICE, "ACTION_RESULT", "ROLLOUT_UNDO"),
                Duration.ofMinutes(15), "no rollback result after 15 minutes of errors; recovering anyway");
        traffic.errorShare(0.001);
        story.say("the rollback is out (in dry run nothing changed: the scenario plays what revision 6 serves): "
                + "errors back at 0.1 %; the alerts resolve as the 5-minute window clears");
        story.scrape(traffic, Duration.ofMinutes(7), story.stateIs(SERVICE, "RESOLVED"), Duration.ofMinutes(15),
                "the incident did not resolve within 15 minutes of recovery");
    }
}
