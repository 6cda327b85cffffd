package io.runstream.processor.api;

import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.runstream.avro.IncidentCommand;
import io.runstream.avro.IncidentCommandType;

/**
 * The body of {@code POST /api/v1/incidents/{id}/{action}}: {@code actor} (required), {@code note},
 * {@code assignee} (for assign) and {@code actionCommandId} (for approve), every one a short string. The actor
 * may come from the {@code X-Runstream-Actor} header instead, so that acknowledge needs no body at all.
 */
final class CommandRequest {

    static final int MAX_BODY_BYTES = 16 * 1024;
    private static final int MAX_FIELD_CHARS = 2000;
    private static final Set<String> FIELDS = Set.of("actor", "note", "assignee", "actionCommandId");
    private static final Map<String, IncidentCommandType> ACTIONS = Map.of(
            "acknowledge", IncidentCommandType.ACKNOWLEDGE, "resolve", IncidentCommandType.RESOLVE,
            "assign", IncidentCommandType.ASSIGN, "comment", IncidentCommandType.COMMENT,
            "approve", IncidentCommandType.APPROVE);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8)
                .maxStringLength(MAX_FIELD_CHARS * 4).build());
    }

    private CommandRequest() {
    }

    static boolean isAction(String action) {
        return ACTIONS.containsKey(action);
    }

    static IncidentCommand parse(String incidentId, String action, byte[] body, String actorHeader, Instant now) {
        IncidentCommandType type = ACTIONS.get(action.toLowerCase(Locale.ROOT));
        JsonNode json = body.length == 0 ? JSON.createObjectNode() : read(body);
        if (!json.isObject()) {
            throw new BadRequest("body", "the body must be a JSON object");
        }
        json.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw new BadRequest(name, "unknown field; expected some of " + FIELDS);
            }
        });
        String actor = text(json, "actor");
        if (actor == null) {
            actor = actorHeader == null || actorHeader.isBlank() ? null : actorHeader.trim();
        }
        if (actor == null) {
            throw new BadRequest("actor", "who is asking: set actor in the body or the X-Runstream-Actor header");
        }
        String assignee = text(json, "assignee");
        if (type == IncidentCommandType.ASSIGN && assignee == null) {
            throw new BadRequest("assignee", "assign needs an assignee");
        }
        String note = text(json, "note");
        if (type == IncidentCommandType.COMMENT && note == null) {
            throw new BadRequest("note", "a comment needs a note");
        }
        return IncidentCommand.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setIncidentId(incidentId)
                .setType(type)
                .setActor(actor)
                .setSource("api")
                .setAssignee(assignee)
                .setActionCommandId(text(json, "actionCommandId"))
                .setNote(note)
                .setIssuedAt(now)
                .build();
    }

    private static JsonNode read(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadRequest("body", "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequest("body", "the body could not be read: " + e.getMessage());
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new BadRequest(field, "must be a string, was " + value.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        String text = value.asText().trim();
        if (text.length() > MAX_FIELD_CHARS) {
            throw new BadRequest(field, "longer than " + MAX_FIELD_CHARS + " characters");
        }
        return text.isEmpty() ? null : text;
    }
}
