package io.runstream.ingest.slack;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.runstream.avro.IncidentCommand;
import io.runstream.avro.IncidentCommandType;
import io.runstream.ingest.parse.RejectedInput;
import io.runstream.ingest.parse.StrictJson;

/**
 * A Slack interactivity request ({@code payload=<JSON>}, form-encoded) from one of Runstream's buttons
 * ({@code action_id} {@code runstream_acknowledge}, {@code runstream_resolve}, {@code runstream_approve}; the
 * button's value is {@code {"incidentId": ..., "correlationKey": ..., "actionCommandId": ...}}) becomes an
 * {@link IncidentCommand} with source {@code slack}, carrying the button's correlation key so the stream processor
 * routes it without a lookup (a button posted by a worker that did not carry the key has none: the processor looks
 * the incident up instead). Other interaction types (a shortcut, another app's button) are valid and carry nothing:
 * empty. The command id is derived from the user and the click's {@code action_ts}, so Slack's retry of the same
 * click is applied once downstream. Whether the incident exists is the processor's decision, not this parser's.
 */
public final class SlackInteractionParser {

    private static final int MAX_ID_CHARS = 200;

    private final StrictJson json;
    private final Map<String, String> users;

    public SlackInteractionParser(StrictJson json, Map<String, String> users) {
        this.json = json;
        this.users = users;
    }

    public Optional<IncidentCommand> parse(byte[] formBody) throws RejectedInput {
        StrictJson.Obj payload = json.readObject(payloadField(formBody).getBytes(StandardCharsets.UTF_8));
        if (!"block_actions".equals(payload.requiredNonBlank("type"))) {
            return Optional.empty();
        }
        List<StrictJson.Obj> actions = payload.requiredObjects("actions");
        if (actions.isEmpty()) {
            throw RejectedInput.invalid("missing_field", "block_actions carries no action", "actions");
        }
        StrictJson.Obj action = actions.get(0);
        IncidentCommandType type = switch (action.requiredNonBlank("action_id")) {
            case "runstream_acknowledge" -> IncidentCommandType.ACKNOWLEDGE;
            case "runstream_resolve" -> IncidentCommandType.RESOLVE;
            case "runstream_approve" -> IncidentCommandType.APPROVE;
            default -> null;
        };
        if (type == null) {
            return Optional.empty();
        }
        StrictJson.Obj value = json.readObject(action.requiredNonBlank("value").getBytes(StandardCharsets.UTF_8));
        String incidentId = bounded(value.requiredNonBlank("incidentId"), "actions[0].value.incidentId");
        String correlationKey = value.optionalString("correlationKey");
        String actionCommandId = value.optionalString("actionCommandId");
        if (type == IncidentCommandType.APPROVE && (actionCommandId == null || actionCommandId.isBlank())) {
            throw RejectedInput.invalid("missing_field", "an approve button must name the held action",
                    "actions[0].value.actionCommandId");
        }
        StrictJson.Obj user = payload.requiredObject("user");
        String userId = bounded(user.requiredNonBlank("id"), "user.id");
        String username = user.optionalString("username");
        String actionTs = bounded(action.requiredNonBlank("action_ts"), "actions[0].action_ts");
        return Optional.of(IncidentCommand.newBuilder()
                .setCommandId("slack:" + userId + ":" + actionTs)
                .setIncidentId(incidentId)
                .setCorrelationKey(correlationKey == null || correlationKey.isBlank() ? null
                        : bounded(correlationKey, "actions[0].value.correlationKey"))
                .setType(type)
                .setActor(actor(userId, username))
                .setSource("slack")
                .setActionCommandId(type == IncidentCommandType.APPROVE
                        ? bounded(actionCommandId, "actions[0].value.actionCommandId") : null)
                .setNote(type == IncidentCommandType.RESOLVE ? "resolved from Slack" : null)
                .setIssuedAt(issuedAt(actionTs))
                .build());
    }

    private String actor(String userId, String username) {
        String mapped = users.get(userId);
        if (mapped != null) {
            return mapped;
        }
        return "slack:" + (username == null || username.isBlank() ? userId : username);
    }

    /** Slack's {@code action_ts} is Unix seconds with a fraction ("1733465400.123456"). */
    private static Instant issuedAt(String actionTs) throws RejectedInput {
        try {
            return Instant.ofEpochMilli(Math.round(Double.parseDouble(actionTs) * 1000));
        } catch (NumberFormatException e) {
            throw RejectedInput.invalid("invalid_value", "action_ts must be Unix seconds, was " + actionTs,
                    "actions[0].action_ts");
        }
    }

    private static String bounded(String value, String field) throws RejectedInput {
        if (value.length() > MAX_ID_CHARS) {
            throw RejectedInput.invalid("value_too_long", field + " is longer than " + MAX_ID_CHARS + " characters",
                    field);
        }
        return value;
    }

    /** The one {@code payload} field of the form; any other shape is a 400. */
    private static String payloadField(byte[] formBody) throws RejectedInput {
        String form = new String(formBody, StandardCharsets.UTF_8);
        String payload = null;
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if ("payload".equals(name)) {
                if (payload != null) {
                    throw RejectedInput.invalid("duplicate_field", "the form carries payload twice", "payload");
                }
                try {
                    payload = URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw RejectedInput.invalid("malformed_form", "payload is not valid URL encoding", "payload");
                }
            }
        }
        if (payload == null || payload.isBlank()) {
            throw RejectedInput.invalid("missing_field", "the form has no payload field", "payload");
        }
        return payload;
    }
}
