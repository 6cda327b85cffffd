package io.runstream.workers.notify;

import java.util.List;

/**
 * An incident mail's body in the runbooks' template shape (003's Initial Notification, Status Update and Resolution
 * Notification): the headline, the facts one per line, Impact and Actions taken (or Resolution) as lists, the summary,
 * the dashboard and the incident id.
 */
final class EmailText {

    private EmailText() {
    }

    static String plain(Notice notice) {
        StringBuilder text = new StringBuilder(NoticeFormat.headline(notice.event())).append(": ")
                .append(notice.title()).append("\n\n");
        NoticeFormat.facts(notice).forEach(fact -> text.append(fact.label()).append(": ").append(fact.value())
                .append("\n"));
        list(text, "Impact", notice.impact());
        list(text, NoticeFormat.actionsLabel(notice.event()), notice.actions());
        if (notice.summary() != null) {
            text.append("\n").append(notice.summary()).append("\n");
        }
        if (notice.dashboard() != null) {
            text.append("\nDashboard: ").append(notice.dashboard()).append("\n");
        }
        notice.links().forEach(link -> text.append("Link: ").append(link).append("\n"));
        return text.append("\nRunstream incident ").append(notice.incidentId()).append("\n").toString();
    }

    private static void list(StringBuilder text, String label, List<String> lines) {
        if (!lines.isEmpty()) {
            text.append("\n").append(label).append(":\n");
            lines.forEach(line -> text.append("- ").append(line).append("\n"));
        }
    }

    static String html(Notice notice) {
        StringBuilder html = new StringBuilder("<h2>").append(escape(NoticeFormat.headline(notice.event())))
                .append(": ").append(escape(notice.title())).append("</h2>\n<p>");
        NoticeFormat.facts(notice).forEach(fact -> html.append("<b>").append(escape(fact.label())).append(":</b> ")
                .append(escape(fact.value())).append("<br>\n"));
        html.append("</p>\n");
        htmlList(html, "Impact", notice.impact());
        htmlList(html, NoticeFormat.actionsLabel(notice.event()), notice.actions());
        if (notice.summary() != null) {
            html.append("<p>").append(escape(notice.summary())).append("</p>\n");
        }
        if (notice.dashboard() != null) {
            html.append("<p><a href=\"").append(escape(notice.dashboard().toString()))
                    .append("\">Runstream dashboard</a></p>\n");
        }
        return html.append("<p>Runstream incident ").append(escape(notice.incidentId())).append("</p>\n").toString();
    }

    private static void htmlList(StringBuilder html, String label, List<String> lines) {
        if (!lines.isEmpty()) {
            html.append("<p><b>").append(escape(label)).append(":</b></p>\n<ul>\n");
            lines.forEach(line -> html.append("<li>").append(escape(line)).append("</li>\n"));
            html.append("</ul>\n");
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
