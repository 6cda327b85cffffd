package io.runstream.launcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Every notice sent for an incident (pages, messages, tickets: escalation steps, status updates, close-outs and
 * runbook notifications), read from its timeline, each with its channel and the outcome of the worker's result
 * for the same command id ("pending" until one arrives).
 */
final class IncidentNotices {

    private static final Set<String> NOTICE_TYPES = Set.of("PAGE", "NOTIFY", "TICKET");

    /** One notice: when it was issued, its action and channel, the worker's outcome and why it was sent. */
    record Notice(String at, String type, String channel, String outcome, String reason, String message) {
    }

    private IncidentNotices() {
    }

    static List<Notice> of(JsonNode timeline) {
        Map<String, JsonNode> issued = new LinkedHashMap<>();
        Map<String, JsonNode> results = new LinkedHashMap<>();
        for (JsonNode entry : timeline) {
            String commandId = entry.path("actionCommandId").asText("");
            if (commandId.isEmpty()) {
                continue;
            }
            if (entry.path("type").asText().equals("ACTION_RESULT")) {
                results.put(commandId, entry);
            } else if (NOTICE_TYPES.contains(type(entry)) && !issued.containsKey(commandId)) {
                issued.put(commandId, entry);
            }
        }
        List<Notice> notices = new ArrayList<>();
        issued.forEach((commandId, entry) -> {
            JsonNode result = results.get(commandId);
            JsonNode details = result == null ? null : result.path("details");
            notices.add(new Notice(entry.path("at").asText(), type(entry),
                    entry.path("details").path("target").asText("-"),
                    details == null ? "pending" : details.path("outcome").asText("?"),
                    details == null ? "" : details.path("reasonCode").asText(""), entry.path("message").asText()));
        });
        return notices;
    }

    private static String type(JsonNode entry) {
        JsonNode details = entry.path("details");
        return details.hasNonNull("type") ? details.path("type").asText() : details.path("action").asText("");
    }
}
