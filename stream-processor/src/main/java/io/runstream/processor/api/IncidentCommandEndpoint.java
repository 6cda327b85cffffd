package io.runstream.processor.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.runstream.avro.IncidentCommand;
import io.runstream.common.http.JsonResponses;

/**
 * {@code POST /api/v1/incidents/{id}/{acknowledge|resolve|assign|comment|approve}}: authenticates with the
 * write token, validates, resolves the incident's correlation key (404 when no instance holds the incident) and
 * publishes an {@link IncidentCommand} carrying it; answers 202 once Kafka has it. Whether the command fits the
 * incident's state is decided in the topology, and a rejection shows on the timeline.
 */
final class IncidentCommandEndpoint {

    private final String writeToken;
    private final CommandPublisher publisher;
    private final Function<String, Optional<String>> correlationKeys;
    private final Clock clock;
    private final MeterRegistry registry;

    /** @param correlationKeys an incident id's correlation key, asked of the instance that owns it; empty if none */
    IncidentCommandEndpoint(String writeToken, CommandPublisher publisher,
            Function<String, Optional<String>> correlationKeys, Clock clock, MeterRegistry registry) {
        this.writeToken = writeToken;
        this.publisher = publisher;
        this.correlationKeys = correlationKeys;
        this.clock = clock;
        this.registry = registry;
    }

    void handle(String incidentId, String action, Request request, Response response, Callback callback) {
        if (writeToken.isEmpty() || publisher == null) {
            count(action, "writes_disabled");
            JsonResponses.error(response, 403, "writes_disabled",
                    "this instance accepts no writes: set api.writeToken (RUNSTREAM_API_WRITE_TOKEN)", null, callback);
            return;
        }
        if (!authorized(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            count(action, "unauthorized");
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"runstream\"");
            JsonResponses.error(response, 401, "unauthorized", "a valid bearer token is required to write",
                    "Authorization", callback);
            return;
        }
        if (!CommandRequest.isAction(action)) {
            count(action, "unknown_action");
            JsonResponses.error(response, 404, "not_found", "no action '" + action
                    + "'; use acknowledge, resolve, assign, comment or approve", "action", callback);
            return;
        }
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        long length = request.getLength();
        if (length > 0 && (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT)
                .startsWith("application/json"))) {
            count(action, "unsupported_media_type");
            JsonResponses.error(response, 415, "unsupported_media_type", "send the body as application/json",
                    "Content-Type", callback);
            return;
        }
        if (length > CommandRequest.MAX_BODY_BYTES) {
            count(action, "body_too_large");
            JsonResponses.error(response, 413, "body_too_large", "the body exceeds "
                    + CommandRequest.MAX_BODY_BYTES + " bytes", null, callback);
            return;
        }
        byte[] body = read(request);
        if (body.length > CommandRequest.MAX_BODY_BYTES) {
            count(action, "body_too_large");
            JsonResponses.error(response, 413, "body_too_large", "the body exceeds "
                    + CommandRequest.MAX_BODY_BYTES + " bytes", null, callback);
            return;
        }
        IncidentCommand command = CommandRequest.parse(incidentId, action, body,
                request.getHeaders().get("X-Runstream-Actor"), clock.instant());
        Optional<String> correlationKey = correlationKeys.apply(incidentId);
        if (correlationKey.isEmpty()) {
            count(action, "not_found");
            JsonResponses.error(response, 404, "not_found", "no incident " + incidentId, "id", callback);
            return;
        }
        // the processor routes the command to the incident's one writer by it, with no lookup of its own
        command.setCorrelationKey(correlationKey.get());
        publisher.publish(command);
        count(action, "accepted");
        Map<String, Object> accepted = new LinkedHashMap<>();
        accepted.put("commandId", command.getCommandId());
        accepted.put("incidentId", incidentId);
        accepted.put("type", command.getType().name());
        accepted.put("status", "accepted: the outcome appears on the incident's timeline");
        JsonResponses.write(response, 202, accepted, callback);
    }

    private boolean authorized(String authorization) {
        byte[] presented = (authorization == null ? "" : authorization.trim()).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(presented, ("Bearer " + writeToken).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] read(Request request) {
        try (InputStream in = Content.Source.asInputStream(request)) {
            return in.readNBytes(CommandRequest.MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw new BadRequest("body", "the body could not be read: " + e.getMessage());
        }
    }

    private void count(String action, String outcome) {
        Counter.builder("runstream_api_commands").tag("action", CommandRequest.isAction(action) ? action : "other")
                .tag("outcome", outcome).description("Incident command requests by action and outcome")
                .register(registry).increment();
    }
}
