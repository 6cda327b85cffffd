package io.runstream.processor.runbook;

import static io.runstream.processor.TopologyFixture.firing;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionType;
import io.runstream.avro.Alert;
import io.runstream.avro.IncidentCommandType;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;
import io.runstream.processor.TopologyFixture;
import io.runstream.processor.rules.RunbooksFiles;

/** Issue 17, item 3: a step held for approval asks the approvers and does not wait forever. */
class ApprovalTopologyTest {

    private static final Alert MEMORY = firing("f-mem", "HighMemoryUsage", "critical", "inference-gateway", Map.of());
    private static final Alert GPU = firing("f-gpu", "GPUUnavailable", "critical", "inference-gateway", Map.of());

    private TopologyFixture pipeline = new TopologyFixture();
    private RunbookStories story = new RunbookStories(pipeline);

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void aHeldStepTellsTheApproversChannelWhatWouldRunOnWhatAndHowToApprove() {
        pipeline.send(MEMORY, Duration.ZERO);

        String id = story.lastIncident().getId();
        ActionCommand ask = approvalRequests(story.sent()).get(0);
        assertThat(ask.getCommandId()).isEqualTo(id + "/memory-pressure/raise-memory-limit/approval-request");
        assertThat(ask.getTarget().getKind() + "/" + ask.getTarget().getName()).isEqualTo("slack/ml-ops-oncall");
        assertThat(ask.getParameters()).containsEntry("event", "update").containsEntry("service", "inference-gateway")
                .containsEntry("title", "Approval needed: memory-pressure step raise-memory-limit for "
                        + story.lastIncident().getTitle());
        assertThat(ask.getParameters().get("summary"))
                .contains("SET_RESOURCES on Deployment ml-prod/inference-gateway (limits.memory=2Gi, requests.memory=1Gi)")
                .contains("`runstream approve " + id + " raise-memory-limit`", "POST /api/v1/incidents/" + id + "/approve",
                        "the dashboard")
                .contains("Not approved within 30 min: skipped");
        assertThat(story.timeline()).filteredOn(e -> e.getType() == IncidentEventType.ACTION_AWAITING_APPROVAL)
                .singleElement().satisfies(e -> assertThat(e.getDetails()).containsEntry("approvalTimeout", "PT30M")
                        .containsEntry("onApprovalTimeout", "skip").containsEntry("asked", "slack/ml-ops-oncall"));
    }

    @Test
    void anUnapprovedStepThatSaysSkipGivesWayToTheNextStepAfterItsTimeout() {
        // given: memory-pressure's limit raise waits for approval (runbook 001, Out of Memory Errors)
        pipeline.send(MEMORY, Duration.ZERO);
        story.sent();
        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(29));
        assertThat(story.remediations()).isEmpty();

        // when: nobody approved it in 30 minutes
        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(1).plusSeconds(1));

        // then: the restart runs instead, and the timeline says why
        assertThat(story.remediations()).extracting(ActionCommand::getType).containsExactly(ActionType.ROLLOUT_RESTART);
        assertThat(story.timeline()).extracting(IncidentEvent::getMessage).contains(
                "memory-pressure step raise-memory-limit was not approved within 30 min: skipped, the runbook goes on");
    }

    @Test
    void anUnapprovedStepHandsTheIncidentToItsSeverityChainAfterItsTimeoutByDefault() {
        pipeline.send(GPU, Duration.ZERO);
        String id = story.lastIncident().getId();

        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(30).plusSeconds(1));

        assertThat(story.remediations()).isEmpty();
        assertThat(story.timeline()).filteredOn(e -> e.getType() == IncidentEventType.ESCALATED)
                .extracting(IncidentEvent::getMessage).contains("gpu-fallback step cpu-fallback was not approved "
                        + "within 30 min: handed over to the P1 escalation chain");
        // an approval that comes too late has nothing left to release
        pipeline.command(id, IncidentCommandType.APPROVE, "alice", Duration.ofMinutes(31), null);
        assertThat(story.remediations()).isEmpty();
        assertThat(story.timeline()).extracting(IncidentEvent::getType).contains(IncidentEventType.COMMAND_REJECTED);
    }

    @Test
    void anApprovalInTimeRunsTheStepAndItsTimeoutNoLongerApplies() {
        pipeline.send(GPU, Duration.ZERO);
        pipeline.command(story.lastIncident().getId(), IncidentCommandType.APPROVE, "alice", Duration.ofMinutes(5), null);
        assertThat(story.remediations()).extracting(ActionCommand::getType).containsExactly(ActionType.SET_ENV);
        story.timeline();

        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(30).plusSeconds(1));

        assertThat(story.timeline()).extracting(IncidentEvent::getMessage)
                .noneMatch(m -> m.contains("was not approved within"));
    }

    @Test
    void theApproversChannelTheTimeoutAndWhatFollowsAreSettingsAStepCanOverride() {
        pipeline.close();
        pipeline = new TopologyFixture(RunbooksFiles.parse("runbooks.yaml", """
                approvals: {channel: slack/ml-approvers, timeout: 10m, onTimeout: skip}
                runbooks:
                  - name: raise-memory
                    match: {alerts: [HighMemoryUsage]}
                    steps:
                      - name: raise
                        action: SET_RESOURCES
                        target: {kind: Deployment, namespace: "{{namespace}}", name: "{{service}}"}
                        parameters: {limits.memory: 4Gi}
                        requiresApproval: true
                        approvalTimeout: 5m
                        onApprovalTimeout: escalate
                      - name: restart
                        action: ROLLOUT_RESTART
                        target: {kind: Deployment, namespace: "{{namespace}}", name: "{{service}}"}
                """));
        story = new RunbookStories(pipeline);

        pipeline.send(MEMORY, Duration.ZERO);
        assertThat(approvalRequests(story.sent())).extracting(c -> c.getTarget().getName())
                .containsExactly("ml-approvers");
        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(5).plusSeconds(1));

        assertThat(story.remediations()).isEmpty();
        assertThat(story.timeline()).extracting(IncidentEvent::getMessage).contains("raise-memory step raise was not "
                + "approved within 5 min: handed over to the P1 escalation chain");
    }

    private static List<ActionCommand> approvalRequests(List<ActionCommand> sent) {
        return sent.stream().filter(c -> c.getType() == ActionType.NOTIFY
                && c.getCommandId().endsWith("/approval-request")).toList();
    }
}
