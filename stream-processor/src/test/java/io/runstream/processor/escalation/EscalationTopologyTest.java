package io.runstream.processor.escalation;

import static io.runstream.processor.TopologyFixture.firing;
import static io.runstream.processor.TopologyFixture.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionType;
import io.runstream.avro.Alert;
import io.runstream.avro.IncidentCommandType;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;
import io.runstream.processor.TopologyFixture;

class EscalationTopologyTest {

    private static final Alert TWELVE_PERCENT = firing("f-errors", "HighErrorRate", "critical", "inference-gateway",
            Map.of("kind", "error_ratio", "value", "0.12", "summary", "12 % of requests fail"));
    private static final Alert THREE_PERCENT = firing("f-errors", "HighErrorRate", "warning", "inference-gateway",
            Map.of("kind", "error_ratio", "value", "0.03"));

    private final TopologyFixture pipeline = new TopologyFixture();

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void pagesOnCallAtOnceTechLeadAfterFiveMinutesAndVpAfterFifteenForP1() {
        pipeline.send(TWELVE_PERCENT, Duration.ZERO);

        pipeline.driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(channels(pipeline.actionCommands.readKeyValuesToList()))
                .containsExactly("slack//ml-ops-oncall", "pagerduty//on-call");

        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(4));
        assertThat(pipeline.actionCommands.isEmpty()).isTrue();
        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertThat(channels(pipeline.actionCommands.readKeyValuesToList())).containsExactly("pagerduty//tech-lead");

        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(10));
        List<KeyValue<String, ActionCommand>> vp = pipeline.actionCommands.readKeyValuesToList().stream()
                .filter(kv -> kv.value.getType() == ActionType.PAGE).toList();
        assertThat(channels(vp)).containsExactly("pagerduty//vp-engineering");
        ActionCommand page = vp.get(0).value;
        assertThat(page.getType()).isEqualTo(ActionType.PAGE);
        assertThat(page.getCommandId()).endsWith("/escalation/page-vp-engineering");
        assertThat(page.getParameters()).containsEntry("event", "trigger").containsEntry("severity", "P1")
                .containsEntry("service", "inference-gateway").containsEntry("impact", "error rate 12.0 %");
        assertThat(page.getExpiresAt()).isAfter(page.getIssuedAt());
        assertThat(types(pipeline.incidentEvents.readValuesToList())).contains(IncidentEventType.ESCALATED);
    }

    @Test
    void remindsOfStatusUpdatesEveryTenMinutesForP1() {
        pipeline.send(TWELVE_PERCENT, Duration.ZERO);
        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(9));
        pipeline.actionCommands.readValuesToList();

        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(1));
        List<ActionCommand> first = pipeline.actionCommands.readValuesToList();
        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(10));
        List<ActionCommand> second = pipeline.actionCommands.readValuesToList().stream()
                .filter(c -> c.getType() == ActionType.NOTIFY).toList();

        assertThat(first).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo(ActionType.NOTIFY);
            assertThat(c.getParameters()).containsEntry("event", "update")
                    .containsEntry("nextUpdateAt", TopologyFixture.T0.plus(Duration.ofMinutes(20)).toString())
                    .containsKeys("startedAt", "impact", "summary");
        });
        assertThat(second).singleElement().extracting(ActionCommand::getCommandId)
                .isNotEqualTo(first.get(0).getCommandId());
    }

    @Test
    void resolutionCancelsEveryPendingStepAndReminder() {
        pipeline.send(TWELVE_PERCENT, Duration.ZERO);
        pipeline.driver.advanceWallClockTime(Duration.ofSeconds(1));
        pipeline.actionCommands.readValuesToList();

        pipeline.send(resolved(TWELVE_PERCENT), Duration.ofMinutes(2));
        assertThat(pipeline.actionCommands.readValuesToList()).extracting(c -> c.getParameters().get("event"))
                .containsExactly("resolved", "resolve");
        pipeline.driver.advanceWallClockTime(Duration.ofHours(2));

        assertThat(pipeline.actionCommands.isEmpty()).isTrue();
    }

    @Test
    void p2MessagesTheChannelThenPagesAfterFiveMinutesWithoutResponse() {
        pipeline.send(THREE_PERCENT, Duration.ZERO);
        pipeline.driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(channels(pipeline.actionCommands.readKeyValuesToList())).containsExactly("slack//ml-ops-oncall");

        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(5));
        assertThat(channels(pipeline.actionCommands.readKeyValuesToList())).containsExactly("pagerduty//on-call");
    }

    @Test
    void aSeverityRiseStartsTheHigherChainAndSilencesTheReplacedOne() {
        pipeline.send(THREE_PERCENT, Duration.ZERO);
        pipeline.driver.advanceWallClockTime(Duration.ofSeconds(1));
        pipeline.actionCommands.readValuesToList();

        pipeline.send(firing("f-errors-2", "HighErrorRate", "critical", "inference-gateway",
                Map.of("kind", "error_ratio", "value", "0.12")), Duration.ofMinutes(1));
        pipeline.driver.advanceWallClockTime(Duration.ofSeconds(1));
        // P1's own opening steps; the channel message shares P2's command id, so a worker sends it once
        assertThat(channels(pipeline.actionCommands.readKeyValuesToList()))
                .containsExactly("slack//ml-ops-oncall", "pagerduty//on-call");

        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(5));
        // P1's tech lead, and not P2's page-on-call a second time.
        assertThat(channels(pipeline.actionCommands.readKeyValuesToList())).containsExactly("pagerduty//tech-lead");
    }

    @Test
    void anAcknowledgedIncidentThatReopensPagesAgainAndIsAcknowledgedAnew() {
        // given: a P1 paged at once, acknowledged by alice, then resolved
        pipeline.send(TWELVE_PERCENT, Duration.ZERO);
        pipeline.driver.advanceWallClockTime(Duration.ofSeconds(1));
        String id = pipeline.incidents.readValuesToList().get(0).getId();
        pipeline.command(id, IncidentCommandType.ACKNOWLEDGE, "alice", Duration.ofMinutes(1), null);
        pipeline.send(resolved(TWELVE_PERCENT), Duration.ofMinutes(2));
        pipeline.actionCommands.readValuesToList();

        // when: the alert returns inside the reopen window
        pipeline.send(TWELVE_PERCENT, Duration.ofMinutes(3));
        pipeline.driver.advanceWallClockTime(Duration.ofSeconds(1));

        // then: alice's acknowledgement was of the episode that ended; the new one messages and pages at once
        // (runbook 001, "Phase 4": "immediate re-escalation") ...
        assertThat(pipeline.actionCommands.readValuesToList()).filteredOn(EscalationTopologyTest::isNotification)
                .extracting(ActionCommand::getCommandId)
                .containsExactly(id + "/reopen-1/escalation/notify-oncall-channel",
                        id + "/reopen-1/escalation/page-on-call");
        // ... and is acknowledged anew, which PagerDuty is told (runbook 003, "Step 1: Acknowledge the Alert"),
        // and the channel messaged hears who acknowledged
        pipeline.command(id, IncidentCommandType.ACKNOWLEDGE, "bob", Duration.ofMinutes(4), null);
        List<ActionCommand> acknowledged = pipeline.actionCommands.readValuesToList();
        assertThat(acknowledged).extracting(ActionCommand::getCommandId).containsExactlyInAnyOrder(
                id + "/reopen-1/acknowledge/pagerduty/on-call", id + "/reopen-1/acknowledge/slack/ml-ops-oncall");
        assertThat(acknowledged).allSatisfy(c -> assertThat(c.getParameters()).containsEntry("commander", "bob"));
        assertThat(acknowledged).extracting(c -> c.getParameters().get("event"))
                .containsExactlyInAnyOrder("acknowledge", "update");
    }

    @Test
    void firesWithNoInputTrafficAtAll() {
        pipeline.send(TWELVE_PERCENT, Duration.ZERO);
        pipeline.actionCommands.readValuesToList();

        // No record arrives after the alert: only the wall clock moves.
        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(16));

        assertThat(pipeline.actionCommands.readValuesToList()).filteredOn(c -> c.getType() == ActionType.PAGE)
                .extracting(c -> c.getTarget().getName()).containsExactly("on-call", "tech-lead", "vp-engineering");
    }

    /** The channels notified (a P1 above 10 % also rolls back: runbook 001, not escalation's business here). */
    private static List<String> channels(List<KeyValue<String, ActionCommand>> commands) {
        return commands.stream().filter(kv -> isNotification(kv.value)).map(kv -> kv.key).toList();
    }

    private static boolean isNotification(ActionCommand command) {
        return command.getType() == ActionType.NOTIFY || command.getType() == ActionType.PAGE
                || command.getType() == ActionType.TICKET;
    }

    private static List<IncidentEventType> types(List<IncidentEvent> events) {
        return events.stream().map(IncidentEvent::getType).toList();
    }
}
