package io.runstream.workers.notify;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.Severity;
import io.runstream.workers.RejectedCommandException;

/**
 * What a notification says, read from a NOTIFY, PAGE or TICKET command's parameters: {@code event}, {@code title},
 * {@code severity} (P1..P4), {@code service}, {@code status}, {@code impact} and {@code actions} (lines separated
 * by newlines or ";"), {@code links} (comma-separated http(s) URLs), {@code summary}, and the status-update fields
 * of the runbooks' templates: {@code startedAt} and {@code nextUpdateAt} (ISO-8601 instants), {@code commander},
 * {@code dashboard} (an http(s) URL), and on resolution {@code duration} (ISO-8601, e.g. PT22M) and
 * {@code resolvedBy}. Every parameter but {@code event} is optional; an unknown one is refused. Text longer than
 * {@link #MAX_TEXT} characters is cut there, so one runaway value cannot fill a channel. The incident's correlation
 * key (null from a processor that did not carry it) goes where a callback can hand it back, e.g. Slack's buttons.
 */
public record Notice(String event, String title, Severity severity, String service, String status,
        List<String> impact, List<String> actions, List<URI> links, String summary, Instant startedAt,
        String commander, Instant nextUpdateAt, URI dashboard, Duration duration, String resolvedBy,
        String incidentId, String correlationKey, String commandId) {

    /** The most characters one text value (or one impact or action line) keeps. */
    static final int MAX_TEXT = 2_000;
    // how much of a refused value a message quotes
    private static final int MAX_QUOTED = 200;
    private static final Set<String> KEYS = Set.of("event", "title", "severity", "service", "status", "impact",
            "actions", "links", "summary", "startedAt", "commander", "nextUpdateAt", "dashboard", "duration",
            "resolvedBy");

    public Notice {
        impact = List.copyOf(impact);
        actions = List.copyOf(actions);
        links = List.copyOf(links);
    }

    /** Reads the parameters; {@code events} are the values {@code event} may take for this action. */
    public static Notice from(ActionCommand command, Set<String> events) {
        Map<String, String> p = command.getParameters();
        for (String key : p.keySet()) {
            if (!KEYS.contains(key)) {
                throw malformed("unknown parameter " + quoted(key) + "; expected some of " + KEYS);
            }
        }
        String event = p.get("event");
        if (event == null || !events.contains(event)) {
            throw malformed("event must be one of " + events + ", was " + quoted(event));
        }
        return new Notice(event, text(p.getOrDefault("title", command.getReason())), severity(p.get("severity")),
                text(p.get("service")), text(p.get("status")), lines(p.get("impact")), lines(p.get("actions")),
                links(p.get("links")), text(p.get("summary")), instant("startedAt", p.get("startedAt")),
                text(p.get("commander")), instant("nextUpdateAt", p.get("nextUpdateAt")),
                dashboard(p.get("dashboard")), duration(p.get("duration")), text(p.get("resolvedBy")),
                command.getIncidentId(), command.getCorrelationKey(), command.getCommandId());
    }

    /** At most {@code max} characters: longer text is cut, without splitting a character, and ends in "…". */
    static String truncated(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(0, end) + "…";
    }

    private static String text(String value) {
        return value == null || value.isBlank() ? null : truncated(value.strip(), MAX_TEXT);
    }

    private static Severity severity(String value) {
        if (value == null) {
            return null;
        }
        try {
            Severity severity = Severity.valueOf(value.trim().toUpperCase(Locale.ROOT));
            if (severity != Severity.UNKNOWN) {
                return severity;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw malformed("severity must be P1, P2, P3 or P4, was " + quoted(value));
    }

    private static List<String> lines(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split("[\\n;]")).map(Notice::text).filter(s -> s != null).toList();
    }

    private static List<URI> links(String value) {
        List<URI> links = new ArrayList<>();
        for (String text : value == null ? new String[0] : value.split(",")) {
            if (!text.isBlank()) {
                links.add(url("links must be http(s) URLs", text.trim()));
            }
        }
        return links;
    }

    private static URI dashboard(String value) {
        return value == null || value.isBlank() ? null : url("dashboard must be an http(s) URL", value.trim());
    }

    private static URI url(String rule, String text) {
        try {
            URI uri = URI.create(text);
            if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw malformed(rule + ", was " + quoted(text));
    }

    private static Instant instant(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw malformed(parameter + " must be an ISO-8601 instant such as 2026-12-06T14:23:00Z, was "
                    + quoted(value));
        }
    }

    private static Duration duration(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Duration duration = Duration.parse(value.trim());
            if (!duration.isNegative()) {
                return duration;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw malformed("duration must be a non-negative ISO-8601 duration such as PT22M, was " + quoted(value));
    }

    private static String quoted(String value) {
        return value == null ? "nothing" : "'" + truncated(value, MAX_QUOTED) + "'";
    }

    private static RejectedCommandException malformed(String message) {
        return new RejectedCommandException("malformed_parameters", message);
    }
}
