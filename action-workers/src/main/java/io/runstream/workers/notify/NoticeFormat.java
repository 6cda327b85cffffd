package io.runstream.workers.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.runstream.avro.Severity;

/** The wording every rendering of a notice shares: headlines, times in UTC and durations as people read them. */
final class NoticeFormat {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private NoticeFormat() {
    }

    /** One labelled value of a notice, before any channel's escaping. */
    record Fact(String label, String value) {
    }

    /**
     * The short facts at the top of runbook 003's Initial Notification, Status Update and Resolution Notification
     * and runbook 004's Slack Update Template, in their order; an update says when the next one comes, a
     * resolution how long the incident took and what resolved it.
     */
    static List<Fact> facts(Notice notice) {
        List<Fact> facts = new ArrayList<>();
        add(facts, "Severity", notice.severity() == null ? null : severity(notice.severity()));
        add(facts, "Service", notice.service());
        add(facts, "Status", notice.status());
        add(facts, "Started", notice.startedAt() == null ? null : time(notice.startedAt()));
        add(facts, "Incident commander", notice.commander());
        if (resolved(notice.event())) {
            add(facts, "Duration", notice.duration() == null ? null : duration(notice.duration()));
            add(facts, "Resolved by", notice.resolvedBy());
        } else {
            add(facts, "Next update", notice.nextUpdateAt() == null ? null : time(notice.nextUpdateAt()));
        }
        return facts;
    }

    private static void add(List<Fact> facts, String label, String value) {
        if (value != null) {
            facts.add(new Fact(label, value));
        }
    }

    /**
     * The notice as one paragraph of plain text, sentence by sentence in the order of the Slack message, at most
     * {@code max} characters; for readers that show text as it is (the local inbox), so nothing is escaped.
     */
    static String paragraph(Notice notice, int max) {
        List<String> sentences = new ArrayList<>();
        sentences.add(headline(notice.event()) + ": " + notice.title());
        facts(notice).forEach(fact -> sentences.add(fact.label() + ": " + fact.value()));
        if (!notice.impact().isEmpty()) {
            sentences.add("Impact: " + String.join("; ", notice.impact()));
        }
        if (!notice.actions().isEmpty()) {
            sentences.add(actionsLabel(notice.event()) + ": " + String.join("; ", notice.actions()));
        }
        if (notice.summary() != null) {
            sentences.add(notice.summary());
        }
        if (notice.dashboard() != null) {
            sentences.add("Dashboard: " + notice.dashboard());
        }
        if (!notice.links().isEmpty()) {
            sentences.add("Links: " + notice.links().stream().map(Object::toString)
                    .collect(Collectors.joining(", ")));
        }
        sentences.add("Incident " + notice.incidentId());
        String text = sentences.stream().map(s -> s.replaceAll("\\s+", " ").strip())
                .map(s -> s.endsWith(".") || s.endsWith("!") || s.endsWith("?") ? s : s + ".")
                .collect(Collectors.joining(" "));
        return Notice.truncated(text, max);
    }

    /** Actions taken, or on resolution the Resolution. */
    static String actionsLabel(String event) {
        return resolved(event) ? "Resolution" : "Actions taken";
    }

    /** INCIDENT, INCIDENT UPDATE, INCIDENT ACKNOWLEDGED or INCIDENT RESOLVED, for NOTIFY's and PAGE's events. */
    static String headline(String event) {
        return switch (event) {
            case "opened", "trigger" -> "INCIDENT";
            case "acknowledge" -> "INCIDENT ACKNOWLEDGED";
            case "resolved", "resolve" -> "INCIDENT RESOLVED";
            default -> "INCIDENT UPDATE";
        };
    }

    static boolean resolved(String event) {
        return event.equals("resolved") || event.equals("resolve");
    }

    /** P2 (high): the runbooks' priority with its word. */
    static String severity(Severity severity) {
        return severity + " (" + switch (severity) {
            case P1 -> "critical";
            case P2 -> "high";
            case P3 -> "medium";
            default -> "low";
        } + ")";
    }

    /** 2026-12-06 14:23 UTC, as runbook 003's templates write times. */
    static String time(Instant instant) {
        return UTC.format(instant);
    }

    /** 22 minutes, 1 hour 5 minutes, 2 days 3 hours, 40 seconds: the two largest units. */
    static String duration(Duration duration) {
        long days = duration.toDays();
        int hours = duration.toHoursPart();
        int minutes = duration.toMinutesPart();
        if (days > 0) {
            return unit(days, "day") + (hours > 0 ? " " + unit(hours, "hour") : "");
        }
        if (hours > 0) {
            return unit(hours, "hour") + (minutes > 0 ? " " + unit(minutes, "minute") : "");
        }
        if (minutes > 0) {
            return unit(minutes, "minute");
        }
        return unit(duration.toSecondsPart(), "second");
    }

    private static String unit(long count, String name) {
        return count + " " + name + (count == 1 ? "" : "s");
    }
}
