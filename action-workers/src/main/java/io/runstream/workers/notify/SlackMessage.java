package io.runstream.workers.notify;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.runstream.workers.notify.NoticeFormat.Fact;

/**
 * A notice as a Slack incoming-webhook message in the shape of runbook 003's Initial Notification, Status Update
 * and Resolution Notification and runbook 004's Slack Update Template: Block Kit {@code blocks} (header, the
 * facts as fields, impact, actions taken, summary, dashboard and links, the incident id) and the same content as
 * mrkdwn {@code text}, which Slack shows in notifications and where blocks cannot be shown. Alert text has
 * Slack's control characters escaped, and every text object stays within Slack's limits.
 */
public final class SlackMessage {

    // Slack's limits: header text, section text, one field, and the advised most for a message's text
    static final int MAX_HEADER = 150;
    static final int MAX_SECTION = 3_000;
    static final int MAX_FIELD = 2_000;
    static final int MAX_TEXT = 4_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SlackMessage() {
    }

    /** The webhook's JSON body: {@code text} and {@code blocks}. */
    public static ObjectNode body(Notice notice) {
        ObjectNode body = JSON.createObjectNode().put("text", text(notice));
        body.set("blocks", blocks(notice));
        return body;
    }

    static String text(Notice notice) {
        StringBuilder text = new StringBuilder(emoji(notice.event())).append(" *")
                .append(NoticeFormat.headline(notice.event())).append(": ").append(escape(notice.title()))
                .append("*\n");
        NoticeFormat.facts(notice).forEach(fact -> text.append('*').append(fact.label()).append(":* ")
                .append(escape(fact.value())).append('\n'));
        list(text, "Impact", notice.impact());
        list(text, NoticeFormat.actionsLabel(notice.event()), notice.actions());
        if (notice.summary() != null) {
            text.append(escape(notice.summary())).append('\n');
        }
        if (notice.dashboard() != null) {
            text.append("*Dashboard:* ").append(link(notice.dashboard(), null)).append('\n');
        }
        if (!notice.links().isEmpty()) {
            text.append("*Links:* ");
            notice.links().forEach(link -> text.append(link(link, null)).append("  "));
            text.append('\n');
        }
        text.append("_Incident ").append(escape(notice.incidentId())).append("_");
        return bounded(text.toString(), MAX_TEXT);
    }

    static ArrayNode blocks(Notice notice) {
        ArrayNode blocks = JSON.createArrayNode();
        // plain_text is never parsed for mentions or links, so the title goes in as it is
        blocks.addObject().put("type", "header").putObject("text").put("type", "plain_text")
                .put("text", Notice.truncated(emoji(notice.event()) + " " + NoticeFormat.headline(notice.event())
                        + ": " + notice.title(), MAX_HEADER))
                .put("emoji", true);
        List<Fact> facts = NoticeFormat.facts(notice);
        if (!facts.isEmpty()) {
            ArrayNode fields = blocks.addObject().put("type", "section").putArray("fields");
            facts.forEach(fact -> fields.add(mrkdwn(bounded("*" + fact.label() + "*\n" + escape(fact.value()),
                    MAX_FIELD))));
        }
        listSection(blocks, "Impact", notice.impact());
        listSection(blocks, NoticeFormat.actionsLabel(notice.event()), notice.actions());
        if (notice.summary() != null) {
            section(blocks, bounded(escape(notice.summary()), MAX_SECTION));
        }
        String links = links(notice);
        if (!links.isEmpty()) {
            section(blocks, links);
        }
        blocks.addObject().put("type", "context").putArray("elements")
                .add(mrkdwn("Incident " + escape(notice.incidentId())));
        return blocks;
    }

    /** The dashboard and the other links, whole links only, as many as one section holds. */
    private static String links(Notice notice) {
        StringBuilder text = new StringBuilder();
        if (notice.dashboard() != null) {
            String dashboard = "*Dashboard:* " + link(notice.dashboard(), "Open in the Runstream dashboard");
            text.append(dashboard.length() <= MAX_SECTION ? dashboard : "");
        }
        String label = (text.isEmpty() ? "" : "\n") + "*Links:*";
        StringBuilder others = new StringBuilder();
        for (URI uri : notice.links()) {
            String piece = (others.isEmpty() ? " " : "  ") + link(uri, null);
            if (text.length() + label.length() + others.length() + piece.length() > MAX_SECTION) {
                break;
            }
            others.append(piece);
        }
        return others.isEmpty() ? text.toString() : text.append(label).append(others).toString();
    }

    private static void listSection(ArrayNode blocks, String name, List<String> lines) {
        if (!lines.isEmpty()) {
            StringBuilder text = new StringBuilder("*").append(name).append('*');
            lines.forEach(line -> text.append("\n• ").append(escape(line)));
            section(blocks, bounded(text.toString(), MAX_SECTION));
        }
    }

    private static void section(ArrayNode blocks, String mrkdwn) {
        blocks.addObject().put("type", "section").set("text", mrkdwn(mrkdwn));
    }

    private static ObjectNode mrkdwn(String text) {
        return JSON.createObjectNode().put("type", "mrkdwn").put("text", text);
    }

    private static String emoji(String event) {
        return switch (event) {
            case "opened" -> ":rotating_light:";
            case "resolved" -> ":white_check_mark:";
            default -> ":arrows_counterclockwise:";
        };
    }

    private static void list(StringBuilder text, String name, List<String> lines) {
        if (!lines.isEmpty()) {
            text.append('*').append(name).append(":*\n");
            lines.forEach(l -> text.append("- ").append(escape(l)).append('\n'));
        }
    }

    private static String link(URI uri, String label) {
        return "<" + escape(uri.toString()) + (label == null ? "" : "|" + label) + ">";
    }

    /**
     * Mrkdwn cut to {@code max} characters, never inside an entity or a link: user text has every {@code &} and
     * {@code <} escaped, so one left open here was cut in half.
     */
    static String bounded(String mrkdwn, int max) {
        if (mrkdwn.length() <= max) {
            return mrkdwn;
        }
        String cut = Notice.truncated(mrkdwn, max);
        int openLink = cut.lastIndexOf('<') > cut.lastIndexOf('>') ? cut.lastIndexOf('<') : -1;
        int openEntity = cut.lastIndexOf('&') > cut.lastIndexOf(';') ? cut.lastIndexOf('&') : -1;
        int open = Math.max(openLink, openEntity);
        return open < 0 ? cut : cut.substring(0, open) + "…";
    }

    /** Slack's three control characters, so alert text cannot forge links or mentions. */
    public static String escape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
