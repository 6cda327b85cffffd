package io.runstream.launcher.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runbook 004's PodRestart alert flapping: Alertmanager sends it firing and resolved ten times in ten minutes.
 * Correlation must make one incident of it, reopened each time (flap suppression), not ten; its runbook
 * silences the alert once.
 */
final class FlappingAlert implements Scenario {

    static final String SERVICE = "feature-store";
    static final String NAMESPACE = "ml-prod";
    static final int FLAPS = 10;

    @Override
    public String name() {
        return "flapping";
    }

    @Override
    public String summary() {
        return "runbook 004: PodRestart on feature-store fires and resolves 10 times; one incident, not ten";
    }

    @Override
    public List<String> services() {
        return List.of(SERVICE);
    }

    @Override
    public Duration plannedEventTime() {
        return Duration.ofMinutes(11);
    }

    @Override
    public void play(Story story) throws InterruptedException {
        Map<String, String> labels = Map.of("alertname", "PodRestart", "severity", "info", "service", SERVICE,
                "namespace", NAMESPACE, "pod", SERVICE + "-7d9f8-x2x4q");
        String fingerprint = Fingerprints.of(labels);
        Map<String, String> annotations = Map.of("summary", SERVICE + ": containers restart 0.12 times per second",
                "runbook", "004 PodRestart");
        story.say("the restart rate of " + SERVICE + " hovers around its threshold: Alertmanager will send PodRestart "
                + "firing and resolved " + FLAPS + " times");
        for (int flap = 1; flap <= FLAPS; flap++) {
            java.time.Instant started = story.wallNow();
            story.ingest().alertmanager(List.of(new IngestClient.WebhookAlert(fingerprint, true, labels, annotations,
                    started, null)));
            story.say("PodRestart firing (" + flap + "/" + FLAPS + ")");
            story.pass(Duration.ofSeconds(30));
            story.ingest().alertmanager(List.of(new IngestClient.WebhookAlert(fingerprint, false, labels, annotations,
                    started, story.wallNow())));
            story.say("PodRestart resolved (" + flap + "/" + FLAPS + ")");
            story.pass(Duration.ofSeconds(30));
        }
        boolean settled = story.await(() -> story.incidentOf(SERVICE).map(incident ->
                Story.reached(incident, "RESOLVED") && incident.path("reopenCount").asInt() >= FLAPS - 1)
                .orElse(false), Duration.ofSeconds(90));
        story.incidentOf(SERVICE).ifPresent(incident -> story.say(FLAPS + " firings made one incident, "
                + incident.path("id").asText() + ", reopened " + incident.path("reopenCount").asInt() + " times"
                + (settled ? "" : " (still settling)")));
    }
}
