package io.runstream.processor.correlation;

import static io.runstream.processor.TopologyFixture.T0;
import static io.runstream.processor.TopologyFixture.firing;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.Alert;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentCommand;
import io.runstream.avro.IncidentCommandType;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;
import io.runstream.avro.IncidentState;
import io.runstream.processor.TopologyFixture;
import io.runstream.schemas.DeadLetterHeaders;

/**
 * Commands and results reach the one writer of their incident by the correlation key they carry, not by reading the
 * application's own incidents table (issue 19); what cannot be routed goes to dead-letters with the reason, counted.
 */
class CarriedKeyRoutingTest {

    private static final String KEY = "ml-prod/inference-gateway";
    private static final Alert TWELVE_PERCENT = firing("f-errors", "HighErrorRate", "critical", "inference-gateway",
            Map.of("kind", "error_ratio", "value", "0.12"));

    private final TopologyFixture pipeline = new TopologyFixture();
    private String incidentId;
    private ActionCommand page;

    @BeforeEach
    void givenAnOpenP1IncidentThatPagedOnCall() {
        pipeline.send(TWELVE_PERCENT, Duration.ZERO);
        pipeline.driver.advanceWallClockTime(Duration.ofSeconds(1));
        List<Incident> incidents = pipeline.incidents.readValuesToList();
        incidentId = incidents.get(incidents.size() - 1).getId();
        page = pipeline.actionCommands.readValuesToList().stream()
                .filter(c -> c.getTarget().getName().equals("on-call")).findFirst().orElseThrow();
        pipeline.incidentEvents.readValuesToList();
    }

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void everyIssuedCommandCarriesItsIncidentsCorrelationKey() {
        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(5));

        List<ActionCommand> later = pipeline.actionCommands.readValuesToList();
        assertThat(later).isNotEmpty();
        assertThat(page.getCorrelationKey()).isEqualTo(KEY);
        assertThat(later).extracting(ActionCommand::getCorrelationKey).containsOnly(KEY);
    }

    @Test
    void aResultKeyedByTheKeyItCarriesReachesTheIncidentWithoutADeadLetter() {
        pipeline.actionResults.pipeInput(KEY, result(page, KEY), T0.plusSeconds(5));

        assertThat(pipeline.deadLetters.isEmpty()).isTrue();
        assertThat(orphanResults()).isZero();
    }

    @Test
    void aResultWithoutTheKeyIsDeadLetteredAndCounted() {
        // a worker (or a command) of the release before the key was carried: keyed by command id, no key inside
        pipeline.actionResults.pipeInput(page.getCommandId(), result(page, null), T0.plusSeconds(5));

        TestRecord<byte[], byte[]> dead = pipeline.deadLetters.readRecord();
        assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo(CarriedKeys.MISSING_KEY);
        assertThat(header(dead, DeadLetterHeaders.ERROR)).contains(page.getCommandId()).contains(incidentId);
        assertThat(header(dead, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(pipeline.topics.actionResults().name());
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo(page.getCommandId());
        assertThat(deadLetters(CarriedKeys.MISSING_KEY)).isEqualTo(1.0);
        assertThatThePipelineGoesOn();
    }

    @Test
    void aResultKeyedByAnotherThanTheKeyItCarriesIsDeadLettered() {
        // hostile or buggy: on a partition whose task need not own the key it names
        pipeline.actionResults.pipeInput("ml-prod/feature-store", result(page, KEY), T0.plusSeconds(5));
        pipeline.actionResults.pipeInput(KEY, null, T0.plusSeconds(6));

        assertThat(pipeline.deadLetters.readRecordsToList()).extracting(r -> header(r, DeadLetterHeaders.REASON))
                .containsExactly(CarriedKeys.KEY_MISMATCH, CarriedKeys.EMPTY_RECORD);
        assertThat(deadLetters(CarriedKeys.KEY_MISMATCH)).isEqualTo(1.0);
        assertThat(deadLetters(CarriedKeys.EMPTY_RECORD)).isEqualTo(1.0);
        assertThatThePipelineGoesOn();
    }

    @Test
    void aCommandCarryingTheKeyIsAppliedWithoutLookingTheIncidentUp() {
        pipeline.commands.pipeInput(incidentId, command("api-1", incidentId, KEY), T0.plusSeconds(60));

        List<Incident> states = pipeline.incidents.readValuesToList();
        assertThat(states.get(states.size() - 1).getState()).isEqualTo(IncidentState.ACKNOWLEDGED);
        assertThat(routed("carried")).isEqualTo(1.0);
        assertThat(routed("lookup")).isZero();
    }

    @Test
    void aCommandWithoutTheKeyIsLookedUpOnceAndCounted() {
        // PagerDuty's webhook cannot carry the key
        pipeline.commands.pipeInput(incidentId, command("pagerduty:E1", incidentId, null), T0.plusSeconds(60));

        List<Incident> states = pipeline.incidents.readValuesToList();
        assertThat(states.get(states.size() - 1).getState()).isEqualTo(IncidentState.ACKNOWLEDGED);
        assertThat(routed("lookup")).isEqualTo(1.0);
        assertThat(routed("carried")).isZero();
    }

    @Test
    void commandsForNoIncidentAreRejectedOnTheTimelineAndCounted() {
        pipeline.commands.pipeInput("INC-000000000000", command("pagerduty:E2", "INC-000000000000", null),
                T0.plusSeconds(60));
        // a key that holds another incident: the one writer refuses, it does not touch that incident
        pipeline.commands.pipeInput("INC-111111111111", command("api-2", "INC-111111111111", KEY),
                T0.plusSeconds(61));

        List<IncidentEvent> events = pipeline.incidentEvents.readValuesToList();
        assertThat(events).extracting(IncidentEvent::getType).containsExactly(IncidentEventType.COMMAND_REJECTED,
                IncidentEventType.COMMAND_REJECTED);
        assertThat(events).extracting(IncidentEvent::getIncidentId).containsExactly("INC-000000000000",
                "INC-111111111111");
        assertThat(routed("unknown_incident")).isEqualTo(1.0);
        assertThat(pipeline.incidents.readValuesToList()).isEmpty();
    }

    @Test
    void aCommandWithNeitherKeyNorIncidentIdIsDeadLettered() {
        pipeline.commands.pipeInput((String) null, command("api-3", incidentId, null), T0.plusSeconds(60));

        assertThat(header(pipeline.deadLetters.readRecord(), DeadLetterHeaders.REASON))
                .isEqualTo(CarriedKeys.MISSING_KEY);
        assertThat(deadLetters(CarriedKeys.MISSING_KEY)).isEqualTo(1.0);
    }

    private void assertThatThePipelineGoesOn() {
        pipeline.commands.pipeInput(incidentId, command("api-after", incidentId, KEY), T0.plusSeconds(90));
        List<Incident> states = pipeline.incidents.readValuesToList();
        assertThat(states.get(states.size() - 1).getState()).isEqualTo(IncidentState.ACKNOWLEDGED);
    }

    private static ActionResult result(ActionCommand command, String correlationKey) {
        return ActionResult.newBuilder()
                .setCommandId(command.getCommandId()).setIncidentId(command.getIncidentId())
                .setCorrelationKey(correlationKey)
                .setType(command.getType()).setTarget(command.getTarget()).setMode(command.getMode())
                .setOutcome(ActionOutcome.SUCCEEDED).setMessage("paged").setBefore(Map.of()).setAfter(Map.of())
                .setAttempts(1).setWorker("worker-1").setStartedAt(T0.plusSeconds(4)).setFinishedAt(T0.plusSeconds(5))
                .build();
    }

    private static IncidentCommand command(String commandId, String incidentId, String correlationKey) {
        return IncidentCommand.newBuilder().setCommandId(commandId).setIncidentId(incidentId)
                .setCorrelationKey(correlationKey).setType(IncidentCommandType.ACKNOWLEDGE).setActor("alice")
                .setSource(commandId.startsWith("pagerduty") ? "pagerduty" : "api").setIssuedAt(T0.plusSeconds(60))
                .build();
    }

    private double deadLetters(String reason) {
        return pipeline.registry.find("runstream_dead_letters").tag("reason", reason).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private double routed(String by) {
        Counter counter = pipeline.registry.find("runstream_incident_commands_routed").tag("by", by).counter();
        return counter == null ? 0 : counter.count();
    }

    private double orphanResults() {
        return pipeline.registry.find("runstream_correlation_results_without_incident").counter().count();
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        return Serdes.String().deserializer().deserialize("", record.headers().lastHeader(name).value());
    }
}
