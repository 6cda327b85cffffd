package io.runstream.launcher;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/** Incidents as a person reads them in a terminal: a table of many, or one with its alerts and timeline. */
final class IncidentText {

    private IncidentText() {
    }

    static void table(List<JsonNode> incidents, Instant now, PrintWriter out) {
        if (incidents.isEmpty()) {
            out.println("No incidents.");
            return;
        }
        String format = "%-17s %-4s %-13s %6s  %-28s %s%n";
        out.printf(format, "ID", "SEV", "STATE", "AGE", "SERVICE", "TITLE");
        for (JsonNode incident : incidents) {
            out.printf(format, incident.path("id").asText(), incident.path("severity").asText(),
                    incident.path("state").asText(), age(incident.path("openedAt").asText(), now),
                    clip(text(incident, "namespace") + "/" + text(incident, "service"), 28),
                    clip(incident.path("title").asText(), 70));
        }
    }

    static void details(JsonNode incident, Instant now, PrintWriter out) {
        out.printf("%s  %s  %s%n", incident.path("id").asText(), incident.path("severity").asText(),
                incident.path("state").asText());
        out.printf("  %s%n", incident.path("title").asText());
        out.printf("  service      %s/%s%n", text(incident, "namespace"), text(incident, "service"));
        out.printf("  opened       %s (%s ago)%n", incident.path("openedAt").asText(),
                age(incident.path("openedAt").asText(), now));
        line(out, "acknowledged", incident, "acknowledgedAt", "acknowledgedBy");
        line(out, "assignee", incident, "assignee", null);
        line(out, "mitigated", incident, "mitigatedAt", null);
        line(out, "resolved", incident, "resolvedAt", "resolvedBy");
        if (incident.path("errorRate").isNumber()) {
            out.printf(Locale.ROOT, "  error rate   %.1f %%%n", incident.path("errorRate").asDouble() * 100);
        }
        if (incident.path("latencyP95Seconds").isNumber()) {
            out.printf(Locale.ROOT, "  p95 latency  %.2f s%n", incident.path("latencyP95Seconds").asDouble());
        }
        if (incident.path("reopenCount").asInt() > 0) {
            out.printf("  reopened     %d times%n", incident.path("reopenCount").asInt());
        }
        out.println("Alerts:");
        for (JsonNode alert : incident.path("alerts")) {
            out.printf("  %-9s %-24s %-9s %s%n", alert.path("status").asText(), alert.path("alertname").asText(),
                    alert.path("labels").path("severity").asText("-"), alert.path("summary").asText(""));
        }
        out.println("Notices:");
        for (IncidentNotices.Notice notice : IncidentNotices.of(incident.path("timeline"))) {
            out.printf("  %-24s %-6s %-32s %-15s %s%n", notice.at(), notice.type(), notice.channel(),
                    notice.outcome() + (notice.reason().isEmpty() ? "" : " " + notice.reason()), notice.message());
        }
        out.println("Timeline:");
        for (JsonNode entry : incident.path("timeline")) {
            StringBuilder line = new StringBuilder(String.format("  %-24s %-24s %s", entry.path("at").asText(),
                    entry.path("type").asText(), entry.path("message").asText()));
            JsonNode details = entry.path("details");
            details.fieldNames().forEachRemaining(name -> {
                if (name.equals("outcome") || name.startsWith("before.") || name.startsWith("after.")) {
                    line.append("  ").append(name).append('=').append(details.path(name).asText());
                }
            });
            if (!entry.path("actionCommandId").isNull() && !entry.path("actionCommandId").isMissingNode()
                    && entry.path("type").asText().equals("ACTION_AWAITING_APPROVAL")) {
                line.append("  (runstream approve ").append(incident.path("id").asText()).append(' ')
                        .append(entry.path("actionCommandId").asText()).append(')');
            }
            out.println(line);
        }
    }

    private static void line(PrintWriter out, String label, JsonNode incident, String at, String by) {
        if (incident.path(at).isNull() || incident.path(at).isMissingNode()) {
            return;
        }
        String who = by == null || incident.path(by).isNull() ? "" : " by " + incident.path(by).asText();
        out.printf("  %-12s %s%s%n", label, incident.path(at).asText(), who);
    }

    static String age(String since, Instant now) {
        try {
            Duration age = Duration.between(Instant.parse(since), now);
            if (age.isNegative()) {
                return "0s";
            }
            if (age.toMinutes() < 1) {
                return age.toSeconds() + "s";
            }
            if (age.toHours() < 1) {
                return age.toMinutes() + "m";
            }
            if (age.toDays() < 1) {
                return age.toHours() + "h" + age.toMinutesPart() + "m";
            }
            return age.toDays() + "d" + age.toHoursPart() + "h";
        } catch (DateTimeParseException e) {
            return "?";
        }
    }

    private static String text(JsonNode incident, String field) {
        return incident.path(field).isTextual() ? incident.path(field).asText() : "-";
    }

    private static String clip(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 3) + "...";
    }
}
