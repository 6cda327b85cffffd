package io.runstream.launcher.e2e;

import static io.runstream.launcher.e2e.EndToEndPipeline.STEP_TIMEOUT;
import static io.runstream.launcher.e2e.EndToEndPipeline.entry;
import static io.runstream.launcher.e2e.EndToEndPipeline.finalResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.runstream.testing.IncidentJson;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;

/**
 * Runbook 001, "Model Performance Degradation, Step 3: Immediate Remediation", on the built-in rules and runbooks
 * through every real part of Runstream: the inference gateway serves model version 7, then 8; the drift job's
 * reports (POSTed to the ingest connector) show 8 drifted and 13 points less accurate; detection raises DataDrift
 * and ModelAccuracyDegraded naming 7 as the previous version; model-rollback holds {@code kubectl set env
 * MODEL_VERSION=7} and asks #ml-ops-oncall; once approved through the API, the workers (enforce mode, fabric8's
 * CRUD mock server) change the Deployment, the rollout completes, the incident is mitigated, a clean report
 * resolves the alerts and the recovery hold resolves the incident.
 */
@WithKafka
class ModelDegradationEndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "iris-random-forest";
    private static final String GOOD_VERSION = "7";
    private static final String BAD_VERSION = "8";
    private static final double REFERENCE_ACCURACY = 0.95;
    /** The built-in runbooks, rules, approvals and escalation; only the recovery hold is shortened (10m). */
    private static final String RUNBOOKS = "recovery: {hold: 3s, deadline: 5m}\n";

    private GatewayCluster cluster;
    private EndToEndPipeline pipeline;

    @BeforeEach
    void givenTheGatewayServingModelVersionSeven(TestKafka kafka, @TempDir Path dir) throws Exception {
        cluster = GatewayCluster.startWithGatewayAtRevisionOne();
        cluster.rollOutModelVersion(GOOD_VERSION);
        pipeline = new EndToEndPipeline(kafka, dir, cluster, RUNBOOKS, Duration.ofMinutes(1));
    }

    @AfterEach
    void stopEverything() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void degradedModelIsSwitchedBackToThePreviousVersionOnceApprovedVerifiedAndResolved() throws Throwable {
        try {
            tellTheStory();
        } catch (Throwable failure) {
            System.err.println("=== model degradation diagnostics ===\nincident: " + pipeline.incidentOf(
                    GatewayCluster.DEPLOYMENT) + "\ndeployment: " + cluster.deployment().getSpec().getTemplate());
            throw failure;
        }
    }

    private void tellTheStory() throws Exception {
        // given: version 7 serves as accurate as its reference
        Instant start = Instant.now().minus(Duration.ofMinutes(10));
        pipeline.driftReport(report(GOOD_VERSION, 0.08, 0.95, start));

        // when: version 8 rolls out; the next report finds 42 % of the features drifted and accuracy 0.82
        cluster.rollOutModelVersion(BAD_VERSION);
        pipeline.driftReport(report(BAD_VERSION, 0.42, 0.82, start.plus(Duration.ofMinutes(5))));

        // then: model-rollback holds MODEL_VERSION=7 (the version reported before 8) and asks for approval
        JsonNode held = pipeline.awaitIncidentOf(GatewayCluster.DEPLOYMENT, "model rollback held for approval",
                i -> entry(i, "ACTION_AWAITING_APPROVAL", "") != null);
        String incidentId = held.path("id").asText();
        assertThat(held.path("severity").asText()).isEqualTo("P1");
        assertThat(held.path("alerts").findValuesAsText("alertname"))
                .contains("ModelAccuracyDegraded", "DataDrift");
        JsonNode waiting = entry(held, "ACTION_AWAITING_APPROVAL", "");
        String switchBack = waiting.path("actionCommandId").asText();
        assertThat(switchBack).endsWith("/model-rollback/previous-model");
        JsonNode asked = pipeline.awaitIncidentOf(GatewayCluster.DEPLOYMENT, "approval asked in #ml-ops-oncall",
                i -> entry(i, "ACTION_RESULT", "NOTIFY ") != null && approvalRequest(i) != null);
        assertThat(approvalRequest(asked).path("details").toString())
                .contains("slack/ml-ops-oncall", "SET_ENV on Deployment ml-prod/inference-gateway",
                        "env.MODEL_VERSION=" + GOOD_VERSION);
        assertThat(cluster.modelVersion()).as("nothing changes before the approval").isEqualTo(BAD_VERSION);

        // when: the on-call approves through the incident API
        pipeline.approve(incidentId, switchBack, "alice");

        // then: the Deployment serves version 7 again, the rollout is verified complete and the incident mitigated
        await("MODEL_VERSION=7 on the Deployment").atMost(STEP_TIMEOUT)
                .until(cluster::modelVersion, GOOD_VERSION::equals);
        JsonNode mitigated = pipeline.awaitIncidentOf(GatewayCluster.DEPLOYMENT, "mitigated",
                i -> IncidentJson.reached(i, "MITIGATED"));
        assertThat(outcomes(mitigated, "SET_ENV ")).containsExactly("APPLIED", "SUCCEEDED");

        // when: the next report is clean (version 7, no drift, accuracy back)
        pipeline.driftReport(report(GOOD_VERSION, 0.05, 0.94, Instant.now()));

        // then: the alerts resolve and, after the recovery hold, so does the incident, with its whole timeline
        JsonNode resolved = pipeline.awaitIncidentOf(GatewayCluster.DEPLOYMENT, "resolved",
                i -> IncidentJson.reached(i, "RESOLVED"));
        assertThat(resolved.path("id").asText()).isEqualTo(incidentId);
        assertThat(resolved.path("resolvedBy").asText()).isEqualTo("recovery");
        assertThat(resolved.path("alerts").findValuesAsText("status")).containsOnly("RESOLVED");
        List<String> types = new ArrayList<>();
        resolved.path("timeline").forEach(entry -> types.add(entry.path("type").asText()));
        assertThat(types).containsSubsequence("OPENED", "ACTION_AWAITING_APPROVAL", "APPROVED", "ACTION_ISSUED",
                "MITIGATED", "RESOLVED");
        JsonNode result = finalResult(resolved, "SET_ENV");
        assertThat(result.path("details").path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.path("details").path("after.env.MODEL_VERSION").asText()).isEqualTo(GOOD_VERSION);
        assertThat(cluster.modelVersion()).isEqualTo(GOOD_VERSION);
    }

    /** The result of the NOTIFY that asked #ml-ops-oncall to approve the held step, or null. */
    private static JsonNode approvalRequest(JsonNode incident) {
        for (JsonNode entry : incident.path("timeline")) {
            if ("ACTION_RESULT".equals(entry.path("type").asText())
                    && entry.path("actionCommandId").asText().endsWith("/approval-request")) {
                return entry;
            }
        }
        return null;
    }

    private static List<String> outcomes(JsonNode incident, String prefix) {
        List<String> outcomes = new ArrayList<>();
        for (JsonNode entry : incident.path("timeline")) {
            if ("ACTION_RESULT".equals(entry.path("type").asText()) && entry.path("message").asText()
                    .startsWith(prefix)) {
                outcomes.add(entry.path("details").path("outcome").asText());
            }
        }
        return outcomes;
    }

    /** An Evidently-style drift report of the model the gateway serves (docs/ingest.md). */
    private static ObjectNode report(String version, double driftShare, double accuracy, Instant at) {
        ObjectNode report = JSON.createObjectNode().put("model", MODEL).put("modelVersion", version)
                .put("service", GatewayCluster.DEPLOYMENT).put("namespace", GatewayCluster.NAMESPACE)
                .put("datasetDrift", driftShare > 0.3).put("driftShare", driftShare).put("accuracy", accuracy)
                .put("referenceAccuracy", REFERENCE_ACCURACY).put("timestamp", at.toString());
        report.putObject("featureScores").put("sepal_length", driftShare > 0.3 ? 0.61 : 0.04)
                .put("petal_width", driftShare > 0.3 ? 0.35 : 0.02);
        return report;
    }
}
