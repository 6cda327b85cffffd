package io.runstream.processor.command;

import static io.runstream.processor.TopologyFixture.firing;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionType;
import io.runstream.avro.Alert;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentCommandType;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;
import io.runstream.avro.IncidentState;
import io.runstream.processor.TopologyFixture;

class IncidentCommandsTopologyTest {

    private static final Alert TWELVE_PERCENT = firing("f-errors", "HighErrorRate", "critical", "inference-gateway",
            Map.of("kind", "error_ratio", "value", "0.12"));

    private final TopologyFixture pipeline = new TopologyFixture();
    private String incidentId;

    @BeforeEach
    void givenAnOpenP1Incident() {
        pipeline.send(TWELVE_PERCENT, Duration.ZERO);
        pipeline.driver.advanceWallClockTime(Duration.ofSeconds(1));
        incidentId = last(pipeline.incidents.readValuesToList()).getId();
        pipeline.incidentEvents.readValuesToList();
        pipeline.actionCommands.readValuesToList();
    }

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void acknowledgementStopsTheChainAndAcknowledgesThePageInPagerDuty() {
        pipeline.command(incidentId, IncidentCommandType.ACKNOWLEDGE, "alice", Duration.ofMinutes(2), null);

        Incident acknowledged = last(pipeline.incidents.readValuesToList());
        assertThat(acknowledged.getState()).isEqualTo(IncidentState.ACKNOWLEDGED);
        assertThat(acknowledged.getAcknowledgedBy()).isEqualTo("alice");
        assertThat(types(pipeline.incidentEvents.readValuesToList())).containsExactly(
                IncidentEventType.ACKNOWLEDGED, IncidentEventType.ACTION_ISSUED, IncidentEventType.ACTION_ISSUED);
        // PagerDuty acknowledges the page; the Slack channel messaged hears who acknowledged
        assertThat(pipeline.actionCommands.readValuesToList()).satisfiesExactlyInAnyOrder(page -> {
            assertThat(page.getType()).isEqualTo(ActionType.PAGE);
            assertThat(page.getTarget().getName()).isEqualTo("on-call");
            assertThat(page.getParameters()).containsEntry("event", "acknowledge");
        }, update -> {
            assertThat(update.getType()).isEqualTo(ActionType.NOTIFY);
            assertThat(update.getTarget().getKind()).isEqualTo("slack");
            assertThat(update.getParameters()).containsEntry("event", "update").containsEntry("status",
                    "acknowledged").containsEntry("commander", "alice");
        });

        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(20));
        // Runbook 001: the tech lead only "if not improving" (stopped), the VP "if not resolved" (still due).
        assertThat(pipeline.actionCommands.readValuesToList()).filteredOn(c -> c.getType() == ActionType.PAGE)
                .extracting(c -> c.getTarget().getName()).containsExactly("vp-engineering");
    }

    @Test
    void statusRemindersContinueAfterAcknowledgementUntilResolution() {
        pipeline.command(incidentId, IncidentCommandType.ACKNOWLEDGE, "alice", Duration.ofMinutes(2), null);
        pipeline.actionCommands.readValuesToList();
        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(10));
        assertThat(pipeline.actionCommands.readValuesToList()).singleElement().satisfies(update -> {
            assertThat(update.getType()).isEqualTo(ActionType.NOTIFY);
            assertThat(update.getParameters()).containsEntry("event", "update").containsEntry("commander", "alice");
        });

        pipeline.command(incidentId, IncidentCommandType.RESOLVE, "alice", Duration.ofMinutes(11), "rolled back");
        assertThat(pipeline.actionCommands.readValuesToList()).extracting(c -> c.getParameters().get("event"))
                .containsExactlyInAnyOrder("resolve", "resolved");
        pipeline.driver.advanceWallClockTime(Duration.ofHours(3));

        assertThat(pipeline.actionCommands.isEmpty()).isTrue();
        Incident resolved = last(pipeline.incidents.readValuesToList());
        assertThat(resolved.getState()).isEqualTo(IncidentState.RESOLVED);
        assertThat(resolved.getResolvedBy()).isEqualTo("alice");
    }

    @Test
    void rejectsResolvingAResolvedIncidentWithTheReasonOnTheTimeline() {
        pipeline.command(incidentId, IncidentCommandType.RESOLVE, "alice", Duration.ofMinutes(1), null);
        pipeline.incidentEvents.readValuesToList();

        pipeline.command(incidentId, IncidentCommandType.RESOLVE, "bob", Duration.ofMinutes(2), null);

        IncidentEvent rejection = pipeline.incidentEvents.readValue();
        assertThat(rejection.getType()).isEqualTo(IncidentEventType.COMMAND_REJECTED);
        assertThat(rejection.getMessage()).isEqualTo("RESOLVE rejected: already resolved by alice");
        assertThat(rejection.getActor()).isEqualTo("bob");
    }

    @Test
    void aLateCommandForASupersededIncidentLeavesTheCurrentIncidentsRecordWhole() {
        // given: the incident resolved, and past the reopen window (30m) its service's errors open a new one
        pipeline.command(incidentId, IncidentCommandType.RESOLVE, "alice", Duration.ofMinutes(1), null);
        pipeline.send(firing("f-errors-again", "HighErrorRate", "critical", "inference-gateway",
                Map.of("kind", "error_ratio", "value", "0.12")), Duration.ofMinutes(40));
        String current = last(pipeline.incidents.readValuesToList()).getId();
        assertThat(current).isNotEqualTo(incidentId);

        // when: a comment on the old incident arrives late, then the new one resolves
        pipeline.command(incidentId, IncidentCommandType.COMMENT, "bob", Duration.ofMinutes(41), "late note");
        pipeline.command(current, IncidentCommandType.RESOLVE, "alice", Duration.ofMinutes(42), null);

        // then: the rejection is on the old incident's timeline; the new one's record (runbook 002, incident
        // record) is its own, whole
        List<KeyValue<String, IncidentEvent>> events = pipeline.incidentEvents.readKeyValuesToList();
        assertThat(events).filteredOn(kv -> kv.value.getType() == IncidentEventType.COMMAND_REJECTED)
                .extracting(kv -> kv.key).containsExactly(incidentId);
        IncidentEvent resolved = events.stream().map(kv -> kv.value)
                .filter(e -> e.getType() == IncidentEventType.RESOLVED).reduce((a, b) -> b).orElseThrow();
        assertThat(resolved.getIncidentId()).isEqualTo(current);
        assertThat(resolved.getDetails().get("timeline")).contains(" OPENED ", " RESOLVED ")
                .doesNotContain("late note", "COMMENT rejected");
    }

    @Test
    void rejectsCommandsForAnUnknownIncidentWithoutStopping() {
        pipeline.command("INC-000000000000", IncidentCommandType.ACKNOWLEDGE, "alice", Duration.ofMinutes(1), null);
        pipeline.command(incidentId, IncidentCommandType.COMMENT, "alice", Duration.ofMinutes(2), "looking");

        List<KeyValue<String, IncidentEvent>> events = pipeline.incidentEvents.readKeyValuesToList();
        assertThat(events).extracting(kv -> kv.key).containsExactly("INC-000000000000", incidentId);
        assertThat(events.get(0).value.getMessage()).isEqualTo("ACKNOWLEDGE rejected: no incident INC-000000000000");
        assertThat(events.get(1).value.getType()).isEqualTo(IncidentEventType.COMMENTED);
    }

    @Test
    void rejectsApprovalWhenNothingAwaitsIt() {
        pipeline.command(incidentId, IncidentCommandType.APPROVE, "alice", Duration.ofMinutes(1), null);

        assertThat(pipeline.incidentEvents.readValue().getMessage())
                .isEqualTo("APPROVE rejected: no action of this incident awaits approval");
    }

    @Test
    void assignsAnOwnerAndRejectsAnAssignmentWithoutOne() {
        pipeline.command(incidentId, IncidentCommandType.ASSIGN, "alice", Duration.ofMinutes(1), "bob");
        pipeline.command(incidentId, IncidentCommandType.ASSIGN, "alice", Duration.ofMinutes(2), " ");

        assertThat(last(pipeline.incidents.readValuesToList()).getAssignee()).isEqualTo("bob");
        assertThat(types(pipeline.incidentEvents.readValuesToList()))
                .containsExactly(IncidentEventType.ASSIGNED, IncidentEventType.COMMAND_REJECTED);
    }

    private static List<IncidentEventType> types(List<IncidentEvent> events) {
        return events.stream().map(IncidentEvent::getType).toList();
    }

    private static <T> T last(List<T> values) {
        assertThat(values).isNotEmpty();
        return values.get(values.size() - 1);
    }
}
