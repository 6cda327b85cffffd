package io.runstream.launcher.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Runbook 001, model performance degradation and data drift: model monitoring fires ModelAccuracyDegraded for
 * fraud-scorer (naming the previous good version), and the Evidently drift job reports a drift share of 0.42
 * with accuracy down from 0.93 to 0.81 (DataDrift, ModelAccuracyDegraded). The model-rollback runbook holds
 * {@code SET_ENV MODEL_VERSION=<previous>} for approval; once approved and carried out, the previous model
 * serves, the next drift report is clean, and the incident resolves.
 */
final class ModelDrift implements Scenario {

    static final String SERVICE = "fraud-api";
    static final String NAMESPACE = "payments";
    static final String MODEL = "fraud-scorer";
    static final String CURRENT = "2026.11.3";
    static final String PREVIOUS = "2026.11.2";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REACTION = Duration.ofSeconds(90);

    @Override
    public String name() {
        return "drift";
    }

    @Override
    public String summary() {
        return "runbook 001: drift share 0.42 and accuracy 0.93 -> 0.81 on fraud-scorer; switched to the previous "
                + "model after approval";
    }

    @Override
    public List<String> services() {
        return List.of(SERVICE);
    }

    @Override
    public Duration plannedEventTime() {
        return Duration.ofMinutes(12);
    }

    @Override
    public void play(Story story) throws InterruptedException {
        story.say("model " + MODEL + " " + CURRENT + " serves " + SERVICE + " in " + NAMESPACE
                + "; Evidently reports drift every 5 minutes");
        story.ingest().drift(report(0.08, false, 0.93, CURRENT, story));
        story.pass(Duration.ofMinutes(5));
        Map<String, String> labels = Map.of("alertname", "ModelAccuracyDegraded", "severity", "critical",
                "service", SERVICE, "namespace", NAMESPACE, "model", MODEL, "model_version", CURRENT,
                "previous_model_version", PREVIOUS);
        IngestClient.WebhookAlert firing = new IngestClient.WebhookAlert(Fingerprints.of(labels), true, labels,
                Map.of("summary", MODEL + " accuracy 0.81 against 0.93 on labelled traffic"), story.wallNow(), null);
        story.ingest().alertmanager(List.of(firing));
        story.say("model monitoring (Alertmanager): ModelAccuracyDegraded, accuracy 0.81 against 0.93; the "
                + "previous good version is " + PREVIOUS);
        story.await(story.timelineHas(SERVICE, "ALERT_ATTACHED", "ModelAccuracyDegraded"), REACTION);
        story.ingest().drift(report(0.42, true, 0.81, CURRENT, story));
        story.say("Evidently: dataset drift, 42 % of features drifted (amount, country), accuracy 0.81");
        story.approveWhenAsked(SERVICE, REACTION);
        story.await(story.timelineHas(SERVICE, "ACTION_RESULT", "SET_ENV"), REACTION);
        story.say("MODEL_VERSION=" + PREVIOUS + " (in dry run nothing changed: the scenario plays what the previous "
                + "model does)");
        story.pass(Duration.ofMinutes(5));
        story.ingest().drift(report(0.06, false, 0.92, PREVIOUS, story));
        story.ingest().alertmanager(List.of(new IngestClient.WebhookAlert(firing.fingerprint(), false, labels,
                firing.annotations(), firing.startsAt(), story.wallNow())));
        story.say("the next drift report is clean (drift 0.06, accuracy 0.92) and model monitoring resolves its alert");
        story.await(story.stateIs(SERVICE, "RESOLVED"), REACTION);
    }

    private static ObjectNode report(double driftShare, boolean drifted, double accuracy, String version,
            Story story) {
        ObjectNode report = JSON.createObjectNode().put("model", MODEL).put("modelVersion", version)
                .put("service", SERVICE).put("namespace", NAMESPACE).put("datasetDrift", drifted)
                .put("driftShare", driftShare).put("accuracy", accuracy).put("referenceAccuracy", 0.93)
                .put("timestamp", story.wallNow().toString());
        report.putObject("featureScores").put("amount", drifted ? 0.61 : 0.04).put("country", drifted ? 0.35 : 0.02);
        return report;
    }
}
