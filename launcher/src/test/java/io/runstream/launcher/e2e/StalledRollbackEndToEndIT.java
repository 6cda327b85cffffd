package io.runstream.launcher.e2e;

import static io.runstream.launcher.e2e.EndToEndPipeline.finalResult;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;

/**
 * Runbook 003, "Mitigation Actions, Option 1" ({@code kubectl rollout undo}, then {@code kubectl rollout status}),
 * when the rollback never becomes available, on the built-in rules and runbooks through every real part of
 * Runstream: release 1.2.3 of the inference gateway rolls out and 12 % of its requests fail; rollback-after-rollout
 * undoes it and the workers (enforce mode, fabric8's CRUD mock server) answer APPLIED; the deployment controller
 * then reports ProgressDeadlineExceeded, so the undo's result is FAILED (rollout_stalled), not SUCCEEDED, the
 * runbook's next step (a rollout restart) is issued, and the timeline says why.
 */
@WithKafka
class StalledRollbackEndToEndIT {

    private static final int FIRST_BAD_SCRAPE = 40;
    private static final int LAST_BAD_SCRAPE = 71;
    /** The built-in runbooks, rules and escalation; the recovery hold shortened as in the other stories. */
    private static final String RUNBOOKS = "recovery: {hold: 3s, deadline: 5m}\n";

    private static final String HANDED_OVER =
            "runbook rollback-after-rollout has no step left: handed over to the P1 escalation chain";

    private GatewayCluster cluster;
    private EndToEndPipeline pipeline;

    @BeforeEach
    void givenTheGatewayAtRevisionOne(TestKafka kafka, @TempDir Path dir) throws Exception {
        cluster = GatewayCluster.startWithGatewayAtRevisionOne();
        // short enough that a rollout the controller never reports on fails within the test too
        pipeline = new EndToEndPipeline(kafka, dir, cluster, RUNBOOKS, Duration.ofSeconds(30));
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
    void rollbackThatNeverBecomesAvailableFailsAndTheRunbookGoesOnToTheRestart() throws Throwable {
        try {
            tellTheStory();
        } catch (Throwable failure) {
            System.err.println("=== stalled rollback diagnostics ===\nincident: " + pipeline.incidentOf(
                    GatewayCluster.DEPLOYMENT) + "\ndeployment: " + cluster.deployment() + "\n"
                    + pipeline.topicTails());
            throw failure;
        }
    }

    private void tellTheStory() throws Exception {
        // given: release 1.2.3 rolled out (the watcher published it), and from now on no rollout gets available
        cluster.rollOutBadRelease();
        pipeline.awaitRolloutPublished(2);
        cluster.stallRollouts();

        // when: ten healthy minutes, then 12 % 5xx for eight, scraped every 15 s and sent by remote_write
        GatewayTraffic traffic = new GatewayTraffic(pipeline.remoteWrite(),
                Instant.now().minus(Duration.ofMinutes(28)).truncatedTo(ChronoUnit.SECONDS));
        traffic.send(0, LAST_BAD_SCRAPE, scrape -> scrape >= FIRST_BAD_SCRAPE ? 0.12 : 0.001);

        // then: the undo is applied to the Deployment, but its rollout stalls: FAILED, rollout_stalled
        JsonNode restarted = pipeline.awaitIncidentOf(GatewayCluster.DEPLOYMENT, "the runbook's next step issued",
                i -> issued(i, "ROLLOUT_RESTART") >= 0);
        assertThat(cluster.runningImage()).as("the undo changed the spec").isEqualTo(GatewayCluster.GOOD_IMAGE);
        JsonNode undo = finalResult(restarted, "ROLLOUT_UNDO");
        assertThat(undo).as("the undo's final result").isNotNull();
        assertThat(undo.path("details").path("outcome").asText()).isEqualTo("FAILED");
        assertThat(undo.path("details").path("reasonCode").asText()).isEqualTo("rollout_stalled");
        assertThat(undo.path("message").asText()).as("the timeline says why").contains("ProgressDeadlineExceeded");
        assertThat(outcomes(restarted, "ROLLOUT_UNDO ")).containsExactly("APPLIED", "FAILED");

        // and: the restart was issued once the undo had failed, and is verified the same way
        int restartIssued = issued(restarted, "ROLLOUT_RESTART");
        assertThat(restartIssued).isGreaterThan(position(restarted, "ROLLOUT_UNDO", "FAILED"));
        assertThat(restarted.path("timeline").get(restartIssued).path("message").asText()).isEqualTo(
                "rollback-after-rollout step restart: ROLLOUT_RESTART Deployment ml-prod/inference-gateway");
        // and: one undo, though rollback-on-p1-error-rate matched this P1 too (a second would go back one more)
        assertThat(restarted.path("timeline").findValuesAsText("message")).filteredOn(m -> m.endsWith(
                ": ROLLOUT_UNDO Deployment ml-prod/inference-gateway")).hasSize(1);

        // then: that fails too, and with no step left the runbook hands the incident to the P1 chain
        JsonNode restart = pipeline.awaitIncidentOf(GatewayCluster.DEPLOYMENT, "the runbook handed over",
                i -> i.path("timeline").findValuesAsText("message").contains(HANDED_OVER));
        assertThat(finalResult(restart, "ROLLOUT_RESTART").path("details").path("outcome").asText())
                .isEqualTo("FAILED");
        assertThat(restart.path("state").asText()).as("nothing mitigated it").isNotIn("MITIGATED", "RESOLVED");
        assertThat(restart.path("severity").asText()).isEqualTo("P1");
    }

    /** Where on the timeline the action was first issued, or -1. */
    private static int issued(JsonNode incident, String action) {
        for (int i = 0; i < incident.path("timeline").size(); i++) {
            JsonNode entry = incident.path("timeline").get(i);
            if ("ACTION_ISSUED".equals(entry.path("type").asText())
                    && action.equals(entry.path("details").path("action").asText())) {
                return i;
            }
        }
        return -1;
    }

    /** Where on the timeline the action's first result with this outcome is. */
    private static int position(JsonNode incident, String action, String outcome) {
        for (int i = 0; i < incident.path("timeline").size(); i++) {
            JsonNode entry = incident.path("timeline").get(i);
            if ("ACTION_RESULT".equals(entry.path("type").asText())
                    && entry.path("message").asText().startsWith(action + " ")
                    && outcome.equals(entry.path("details").path("outcome").asText())) {
                return i;
            }
        }
        throw new AssertionError("no " + action + " " + outcome + " on " + incident.path("timeline"));
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
}
