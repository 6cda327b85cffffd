package io.runstream.ingest.parse;

import java.util.Optional;

import io.runstream.avro.IncidentCommand;
import io.runstream.avro.IncidentCommandType;

/**
 * PagerDuty webhook v3: {@code incident.acknowledged} and {@code incident.resolved} become an
 * {@link IncidentCommand} for the Runstream incident whose id Runstream sent as the PagerDuty dedup key
 * ({@code event.data.incident_key}). Other event types are valid but carry nothing for Runstream: empty.
 * The command id is derived from PagerDuty's event id, so a redelivered event is applied once downstream.
 * It carries no correlation key: a v3 webhook returns the incident's dedup key but not the event's
 * {@code custom_details}, so the stream processor looks the incident up by id, once (issue 19).
 */
public final class PagerDutyWebhookParser {

    private final StrictJson json;

    public PagerDutyWebhookParser(StrictJson json) {
        this.json = json;
    }

    public Optional<IncidentCommand> parse(byte[] body) throws RejectedInput {
        StrictJson.Obj event = json.readObject(body).requiredObject("event");
        String eventType = event.requiredNonBlank("event_type");
        IncidentCommandType type = switch (eventType) {
            case "incident.acknowledged" -> IncidentCommandType.ACKNOWLEDGE;
            case "incident.resolved" -> IncidentCommandType.RESOLVE;
            default -> null;
        };
        String eventId = event.requiredNonBlank("id");
        java.time.Instant occurredAt = event.requiredTimestamp("occurred_at");
        if (type == null) {
            return Optional.empty();
        }
        StrictJson.Obj data = event.requiredObject("data");
        String incidentId = data.requiredNonBlank("incident_key");
        StrictJson.Obj agent = event.optionalObject("agent");
        String agentId = agent == null ? null : agent.optionalString("id");
        return Optional.of(IncidentCommand.newBuilder()
                .setCommandId("pagerduty:" + eventId)
                .setIncidentId(incidentId)
                .setType(type)
                .setActor(agentId == null || agentId.isBlank() ? "pagerduty" : "pagerduty:" + agentId)
                .setSource("pagerduty")
                .setNote(type == IncidentCommandType.RESOLVE ? "resolved in PagerDuty" : null)
                .setIssuedAt(occurredAt)
                .build());
    }
}
