package io.runstream.processor.api;

import static io.runstream.processor.TopologyFixture.T0;
import static io.runstream.processor.TopologyFixture.firing;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionType;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;
import io.runstream.processor.TopologyFixture;

/** {@code inbox-store}: the workers' local-inbox deliveries, read from the incident timeline, newest first, bounded. */
class InboxStoreTest {

    private final TopologyFixture pipeline = new TopologyFixture();

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void indexesAPageTheWorkersDeliveredToTheLocalInboxAndNothingElse() {
        // given: a P1 incident whose immediate page to the on-call has gone out
        pipeline.send(firing("f-errors", "HighErrorRate", "critical", "inference-gateway",
                Map.of("kind", "error_ratio", "value", "0.12")), Duration.ZERO);
        pipeline.driver.advanceWallClockTime(Duration.ofSeconds(2));
        ActionCommand page = pipeline.actionCommands.readValuesToList().stream()
                .filter(c -> c.getType() == ActionType.PAGE).findFirst().orElseThrow();

        // when: the workers answer it from their local inbox, and some other command succeeds for real
        result(page, ActionOutcome.SUCCEEDED, "delivered to the local inbox: no PagerDuty routing key for on-call",
                Map.of("delivery", "inbox", "channel", "pagerduty/on-call", "event", "trigger",
                        "text", "P1 inference-gateway: 0.12 of requests fail with 5xx"), Duration.ofSeconds(3));
        result(page, ActionOutcome.SUCCEEDED, "trigger PagerDuty incident",
                Map.of("pagerduty", "trigger", "dedup_key", page.getIncidentId()), Duration.ofSeconds(4));

        // then: the inbox holds the delivery, with the timeline's details
        List<IncidentEvent> inbox = newestFirst();
        assertThat(inbox).hasSize(1);
        IncidentEvent delivery = inbox.get(0);
        assertThat(delivery.getIncidentId()).isEqualTo(page.getIncidentId());
        assertThat(delivery.getActionCommandId()).isEqualTo(page.getCommandId());
        Map<String, Object> json = InboxApi.json(delivery);
        assertThat(json).containsEntry("incidentId", page.getIncidentId())
                .containsEntry("channel", "pagerduty/on-call").containsEntry("event", "trigger")
                .containsEntry("text", "P1 inference-gateway: 0.12 of requests fail with 5xx");
    }

    @Test
    void keepsTheNewestThousandAndCountsARepeatedEntryOnce() {
        TestInputTopic<String, IncidentEvent> events = pipeline.driver.createInputTopic(
                pipeline.topics.incidentEvents().name(), pipeline.topics.incidentEvents().keySerde().serializer(),
                pipeline.topics.incidentEvents().valueSerde().serializer());
        // given: as many deliveries as the cap, one of them read twice (a reprocessed offset), and a non-delivery
        for (int i = 0; i < IncidentViews.INBOX_CAP; i++) {
            events.pipeInput("INC-" + (i % 7), delivery(i));
        }
        events.pipeInput("INC-3", delivery(IncidentViews.INBOX_CAP - 1));
        events.pipeInput("INC-3", IncidentEvent.newBuilder(delivery(5_000)).setType(IncidentEventType.ESCALATED)
                .build());

        // when: five more arrive
        for (int i = IncidentViews.INBOX_CAP; i < IncidentViews.INBOX_CAP + 5; i++) {
            events.pipeInput("INC-" + (i % 7), delivery(i));
        }

        // then: the five oldest are gone, the rest kept newest first
        List<IncidentEvent> inbox = newestFirst();
        assertThat(inbox).hasSize(IncidentViews.INBOX_CAP);
        assertThat(inbox.get(0).getEventId()).isEqualTo("e-" + (IncidentViews.INBOX_CAP + 4));
        assertThat(inbox.get(inbox.size() - 1).getEventId()).isEqualTo("e-5");
    }

    private static IncidentEvent delivery(int i) {
        return IncidentEvent.newBuilder().setEventId("e-" + i).setIncidentId("INC-" + (i % 7))
                .setType(IncidentEventType.ACTION_RESULT).setAt(T0.plusSeconds(i))
                .setMessage("NOTIFY SUCCEEDED: delivered to the local inbox").setActionCommandId("cmd-" + i)
                .setDetails(Map.of("outcome", "SUCCEEDED", "after.delivery", "inbox",
                        "after.channel", "slack/ml-ops-oncall", "after.event", "opened", "after.text", "text " + i))
                .build();
    }

    private void result(ActionCommand command, ActionOutcome outcome, String message, Map<String, String> after,
            Duration offset) {
        ActionResult result = ActionResult.newBuilder()
                .setCommandId(command.getCommandId()).setIncidentId(command.getIncidentId())
                .setCorrelationKey(command.getCorrelationKey())
                .setType(command.getType()).setTarget(command.getTarget()).setMode(command.getMode())
                .setOutcome(outcome).setMessage(message).setBefore(Map.of()).setAfter(after).setAttempts(1)
                .setWorker("worker-1").setStartedAt(T0.plus(offset)).setFinishedAt(T0.plus(offset)).build();
        pipeline.actionResults.pipeInput(command.getCorrelationKey(), result, T0.plus(offset));
    }

    private List<IncidentEvent> newestFirst() {
        KeyValueStore<String, IncidentEvent> store = pipeline.driver.getKeyValueStore(IncidentViews.INBOX_STORE);
        List<IncidentEvent> events = new ArrayList<>();
        try (KeyValueIterator<String, IncidentEvent> newest = store.reverseAll()) {
            newest.forEachRemaining((KeyValue<String, IncidentEvent> entry) -> events.add(entry.value));
        }
        return events;
    }
}
