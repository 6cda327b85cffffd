package io.runstream.workers.notify;

import java.net.URI;
import java.net.http.HttpRequest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.runstream.avro.ActionCommand;

/**
 * The JSON body the generic webhook and the ticket webhook receive, and the POST that carries it: the command id
 * as Idempotency-Key, so a resend after a worker crash can be recognised by the receiver. The status-update
 * fields (startedAt, commander, nextUpdateAt, dashboard, duration, resolvedBy) are there when the command has them.
 */
final class IncidentJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IncidentJson() {
    }

    static ObjectNode body(ActionCommand command, Notice notice) {
        ObjectNode body = JSON.createObjectNode()
                .put("commandId", command.getCommandId())
                .put("incidentId", command.getIncidentId())
                .put("event", notice.event())
                .put("title", notice.title())
                .put("severity", notice.severity() == null ? null : notice.severity().name())
                .put("service", notice.service())
                .put("status", notice.status())
                .put("summary", notice.summary())
                .put("reason", command.getReason())
                .put("issuedAt", command.getIssuedAt().toString());
        notice.impact().forEach(body.putArray("impact")::add);
        notice.actions().forEach(body.putArray("actions")::add);
        notice.links().forEach(link -> body.withArray("links").add(link.toString()));
        putIfPresent(body, "startedAt", notice.startedAt());
        putIfPresent(body, "commander", notice.commander());
        putIfPresent(body, "nextUpdateAt", notice.nextUpdateAt());
        putIfPresent(body, "dashboard", notice.dashboard());
        putIfPresent(body, "duration", notice.duration());
        putIfPresent(body, "resolvedBy", notice.resolvedBy());
        // a receiver that calls back about the incident can hand the key back, as Slack's buttons do
        putIfPresent(body, "correlationKey", notice.correlationKey());
        return body;
    }

    /** Instants and durations in ISO-8601 (2026-12-06T14:23:00Z, PT22M), as the command carried them. */
    private static void putIfPresent(ObjectNode body, String field, Object value) {
        if (value != null) {
            body.put(field, value.toString());
        }
    }

    static HttpRequest.Builder post(String url, String bearerToken, ActionCommand command, ObjectNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", command.getCommandId())
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (bearerToken != null && !bearerToken.isBlank()) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        return request;
    }
}
