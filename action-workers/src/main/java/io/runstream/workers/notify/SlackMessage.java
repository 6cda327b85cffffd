package io.runstream.workers.notify;

import java.util.List;

import io.runstream.avro.Severity;

/** Formats a notice as Slack mrkdwn text in the shape of the runbooks' incident and resolution templates. */
final class SlackMessage {

    private SlackMessage() {
    }

    static String text(Notice notice) {
        StringBuilder text = new StringBuilder();
        text.append(switch (notice.event()) {
            case "opened" -> ":rotating_light: *INCIDENT: ";
            case "resolved" -> ":white_check_mark: *INCIDENT RESOLVED: ";
            default -> ":arrows_counterclockwise: *INCIDENT UPDATE: ";
        }).append(escape(notice.title())).append("*\n");
        if (notice.severity() != null) {
            text.append("*Severity:* ").append(notice.severity()).append(" (").append(label(notice.severity()))
                    .append(")\n");
        }
        line(text, "Service", notice.service());
        line(text, "Status", notice.status());
        section(text, "Impact", notice.impact());
        section(text, notice.event().equals("resolved") ? "Resolution" : "Actions", notice.actions());
        if (notice.summary() != null) {
            text.append(escape(notice.summary())).append('\n');
        }
        if (!notice.links().isEmpty()) {
            text.append("*Links:* ");
            notice.links().forEach(link -> text.append('<').append(link).append(">  "));
            text.append('\n');
        }
        text.append("_Incident ").append(escape(notice.incidentId())).append("_");
        return text.toString();
    }

    static String label(Severity severity) {
        return switch (severity) {
            case P1 -> "critical";
            case P2 -> "high";
            case P3 -> "medium";
            default -> "low";
        };
    }

    private static void line(StringBuilder text, String name, String value) {
        if (value != null && !value.isBlank()) {
            text.append('*').append(name).append(":* ").append(escape(value)).append('\n');
        }
    }

    private static void section(StringBuilder text, String name, List<String> lines) {
        if (!lines.isEmpty()) {
            text.append('*').append(name).append(":*\n");
            lines.forEach(l -> text.append("- ").append(escape(l)).append('\n'));
        }
    }

    /** Slack's three control characters, so alert text cannot forge links or mentions. */
    private static String escape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
