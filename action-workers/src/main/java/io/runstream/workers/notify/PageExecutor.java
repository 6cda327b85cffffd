package io.runstream.workers.notify;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionType;
import io.runstream.avro.Severity;
import io.runstream.workers.Execution;
import io.runstream.workers.RejectedCommandException;
import io.runstream.workers.http.HttpCalls;

/**
 * PAGE through PagerDuty Events API v2: {@code event=trigger|acknowledge|resolve} with {@code dedup_key} = the
 * incident id, so PagerDuty folds repeats (and a resend after a crash) into one alert per incident. The target
 * name picks the routing key (each escalation level its own service). Trigger needs {@code severity}; P1..P4 map
 * to critical, error, warning, info; startedAt becomes the payload's timestamp and, with the commander, part of
 * custom_details.
 */
public final class PageExecutor implements NotificationExecutor {

    static final Set<String> EVENTS = Set.of("trigger", "acknowledge", "resolve");
    // PagerDuty's limit on payload.summary
    private static final int MAX_SUMMARY = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NotifySettings.PagerDuty settings;
    private final HttpCalls http;

    public PageExecutor(NotifySettings.PagerDuty settings, HttpCalls http) {
        this.settings = settings;
        this.http = http;
    }

    @Override
    public ActionType type() {
        return ActionType.PAGE;
    }

    @Override
    public Notice notice(ActionCommand command) {
        Notice notice = Notice.from(command, EVENTS);
        if (notice.event().equals("trigger") && notice.severity() == null) {
            throw new RejectedCommandException("malformed_parameters", "a PagerDuty trigger needs severity P1..P4");
        }
        return notice;
    }

    @Override
    public Execution execute(ActionCommand command, boolean dryRun) {
        String target = command.getTarget().getName();
        String routingKey = settings.routingKeyFor(target).orElseThrow(() -> new RejectedCommandException(
                "channel_not_configured", "no PagerDuty routing key is configured for " + target
                        + " (notifications.pagerduty)"));
        Notice notice = notice(command);
        ObjectNode body = body(routingKey, command, notice);
        Map<String, String> after = Map.of("pagerduty", notice.event(), "dedup_key", command.getIncidentId());
        if (dryRun) {
            return Execution.dryRun("would " + notice.event() + " PagerDuty incident " + command.getIncidentId(),
                    Map.of(), after);
        }
        HttpCalls.Reply reply = http.send(command, "PagerDuty", HttpRequest.newBuilder(URI.create(settings.url()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        return Execution.succeeded(notice.event() + " PagerDuty incident " + command.getIncidentId(), Map.of(),
                after).withAttempts(reply.attempts());
    }

    /**
     * Acknowledge and resolve carry only routing_key, event_action and dedup_key, as Events v2 asks; a trigger
     * adds the payload, the links (the Runstream dashboard first) and, with a dashboard, client and client_url,
     * which PagerDuty shows as a "View in Runstream" link.
     */
    private static ObjectNode body(String routingKey, ActionCommand command, Notice notice) {
        ObjectNode body = JSON.createObjectNode()
                .put("routing_key", routingKey)
                .put("event_action", notice.event())
                .put("dedup_key", command.getIncidentId());
        if (!notice.event().equals("trigger")) {
            return body;
        }
        String summary = notice.title() + (notice.summary() == null ? "" : ": " + notice.summary());
        ObjectNode payload = body.putObject("payload")
                .put("summary", Notice.truncated(summary, MAX_SUMMARY))
                .put("source", notice.service() == null ? "runstream" : notice.service())
                .put("severity", severity(notice.severity()));
        if (notice.startedAt() != null) {
            payload.put("timestamp", notice.startedAt().toString());
        }
        if (notice.service() != null) {
            payload.put("component", notice.service());
        }
        ObjectNode details = payload.putObject("custom_details")
                .put("incident_id", command.getIncidentId())
                .put("priority", notice.severity().name())
                .put("reason", command.getReason());
        putIfPresent(details, "status", notice.status());
        putIfPresent(details, "started_at", notice.startedAt());
        putIfPresent(details, "commander", notice.commander());
        putLines(details, "impact", notice.impact());
        putLines(details, "actions", notice.actions());
        if (notice.dashboard() != null) {
            body.put("client", "Runstream").put("client_url", notice.dashboard().toString());
            body.withArray("links").addObject().put("href", notice.dashboard().toString())
                    .put("text", "Runstream dashboard");
        }
        notice.links().forEach(link -> body.withArray("links").addObject().put("href", link.toString())
                .put("text", link.getHost()));
        return body;
    }

    private static void putIfPresent(ObjectNode node, String field, Object value) {
        if (value != null) {
            node.put(field, value.toString());
        }
    }

    private static void putLines(ObjectNode node, String field, List<String> lines) {
        if (!lines.isEmpty()) {
            lines.forEach(node.putArray(field)::add);
        }
    }

    static String severity(Severity severity) {
        return switch (severity) {
            case P1 -> "critical";
            case P2 -> "error";
            case P3 -> "warning";
            default -> "info";
        };
    }
}
