package io.runstream.workers.notify.slack;

import java.util.Optional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.runstream.avro.ActionCommand;
import io.runstream.workers.notify.Notice;
import io.runstream.workers.notify.SlackMessage;

/**
 * A notice as a Slack app message: the incoming-webhook message's {@code text} and {@code blocks}, plus a line
 * saying who acted and an {@code actions} block with the buttons the incident's state still allows (Acknowledge
 * while nobody has, Resolve until resolved, Approve on an approval request). A button's {@code value} is JSON,
 * {@code {"incidentId": ..., "correlationKey": ..., "actionCommandId": ...}}, which the ingest connector's
 * interactivity endpoint reads: the correlation key comes back on the click's command, so the stream processor routes
 * it without looking the incident up.
 */
final class SlackAppMessage {

    static final String ACKNOWLEDGE = "runstream_acknowledge";
    static final String RESOLVE = "runstream_resolve";
    static final String APPROVE = "runstream_approve";
    /** The processor's approval request is the held action's command id with this suffix. */
    private static final String APPROVAL_REQUEST = "/approval-request";

    private SlackAppMessage() {
    }

    static ObjectNode body(Notice notice, Optional<String> heldAction) {
        ObjectNode body = SlackMessage.body(notice);
        ArrayNode blocks = (ArrayNode) body.get("blocks");
        String who = whoActed(notice);
        if (who != null) {
            blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn")
                    .put("text", SlackMessage.escape(who));
        }
        ArrayNode buttons = blocks.addObject().put("type", "actions").put("block_id", "runstream_actions")
                .putArray("elements");
        String incident = notice.incidentId();
        String key = notice.correlationKey();
        heldAction.ifPresent(action -> button(buttons, APPROVE, "Approve", "primary", value(incident, key, action)));
        if (!resolved(notice) && "investigating".equals(notice.status())) {
            button(buttons, ACKNOWLEDGE, "Acknowledge", heldAction.isEmpty() ? "primary" : null,
                    value(incident, key, null));
        }
        if (!resolved(notice)) {
            button(buttons, RESOLVE, "Resolve", null, value(incident, key, null));
        }
        if (buttons.isEmpty()) {
            blocks.remove(blocks.size() - 1);
        }
        return body;
    }

    /** The held action an approval request asks about, from its command id. */
    static Optional<String> heldActionOf(ActionCommand command) {
        return heldActionOf(command.getCommandId());
    }

    static Optional<String> heldActionOf(String commandId) {
        return commandId.endsWith(APPROVAL_REQUEST) && commandId.length() > APPROVAL_REQUEST.length()
                ? Optional.of(commandId.substring(0, commandId.length() - APPROVAL_REQUEST.length()))
                : Optional.empty();
    }

    private static String whoActed(Notice notice) {
        if (resolved(notice)) {
            return notice.resolvedBy() == null ? "Resolved" : "Resolved by " + notice.resolvedBy();
        }
        if ("acknowledged".equals(notice.status()) && notice.commander() != null) {
            return "Acknowledged by " + notice.commander();
        }
        return null;
    }

    private static boolean resolved(Notice notice) {
        return "resolved".equals(notice.event()) || "resolved".equals(notice.status());
    }

    private static void button(ArrayNode buttons, String actionId, String label, String style, String value) {
        ObjectNode button = buttons.addObject().put("type", "button").put("action_id", actionId).put("value", value);
        button.putObject("text").put("type", "plain_text").put("text", label);
        if (style != null) {
            button.put("style", style);
        }
    }

    private static String value(String incidentId, String correlationKey, String actionCommandId) {
        ObjectNode value = JsonNodeFactory.instance.objectNode().put("incidentId", incidentId);
        if (correlationKey != null) {
            value.put("correlationKey", correlationKey);
        }
        if (actionCommandId != null) {
            value.put("actionCommandId", actionCommandId);
        }
        return value.toString();
    }
}
