package io.runstream.workers.notify;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.Severity;
import io.runstream.workers.RejectedCommandException;

/**
 * What a notification says, read from a NOTIFY or PAGE command's parameters: {@code event}, {@code title},
 * {@code severity} (P1..P4), {@code service}, {@code status}, {@code impact} and {@code actions} (lines separated
 * by newlines or ";"), {@code links} (comma-separated http(s) URLs) and {@code summary}.
 */
public record Notice(String event, String title, Severity severity, String service, String status,
        List<String> impact, List<String> actions, List<URI> links, String summary, String incidentId,
        String commandId) {

    private static final Set<String> KEYS = Set.of("event", "title", "severity", "service", "status", "impact",
            "actions", "links", "summary");

    /** Reads the parameters; {@code events} are the values {@code event} may take for this action. */
    public static Notice from(ActionCommand command, Set<String> events) {
        Map<String, String> p = command.getParameters();
        for (String key : p.keySet()) {
            if (!KEYS.contains(key)) {
                throw malformed("unknown parameter " + key + "; expected some of " + KEYS);
            }
        }
        String event = p.get("event");
        if (event == null || !events.contains(event)) {
            throw malformed("event must be one of " + events + ", was '" + event + "'");
        }
        String title = p.getOrDefault("title", command.getReason());
        return new Notice(event, title, severity(p.get("severity")), p.get("service"), p.get("status"),
                lines(p.get("impact")), lines(p.get("actions")), links(p.get("links")), p.get("summary"),
                command.getIncidentId(), command.getCommandId());
    }

    private static Severity severity(String value) {
        if (value == null) {
            return null;
        }
        try {
            Severity severity = Severity.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            if (severity != Severity.UNKNOWN) {
                return severity;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw malformed("severity must be P1, P2, P3 or P4, was '" + value + "'");
    }

    private static List<String> lines(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split("[\\n;]")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static List<URI> links(String value) {
        List<URI> links = new ArrayList<>();
        for (String text : value == null ? new String[0] : value.split(",")) {
            if (text.isBlank()) {
                continue;
            }
            try {
                URI uri = URI.create(text.trim());
                if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                    throw new IllegalArgumentException("not http(s)");
                }
                links.add(uri);
            } catch (IllegalArgumentException e) {
                throw malformed("links must be http(s) URLs, was '" + text.trim() + "'");
            }
        }
        return links;
    }

    private static RejectedCommandException malformed(String message) {
        return new RejectedCommandException("malformed_parameters", message);
    }
}
