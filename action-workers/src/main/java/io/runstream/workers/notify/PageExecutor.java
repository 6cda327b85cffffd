package io.runstream.workers.notify;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionType;
import io.runstream.avro.Severity;
import io.runstream.workers.ActionExecutor;
import io.runstream.workers.Execution;
import io.runstream.workers.RejectedCommandException;
import io.runstream.workers.http.HttpCalls;

/**
 * PAGE through PagerDuty Events API v2: {@code event=trigger|acknowledge|resolve} with {@code dedup_key} = the
 * incident id, so PagerDuty folds repeats (and a resend after a crash) into one alert per incident. The target
 * name picks the routing key (each escalation level its own service). Trigger needs {@code severity}; P1..P4 map
 * to critical, error, warning, info.
 */
public final class PageExecutor implements ActionExecutor {

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
    public boolean remediation() {
        return false;
    }

    @Override
    public Execution execute(ActionCommand command, boolean dryRun) {
        String target = command.getTarget().getName();
        String routingKey = settings.routingKeyFor(target).orElseThrow(() -> new RejectedCommandException(
                "channel_not_configured", "no PagerDuty routing key is configured for " + target
                        + " (notifications.pagerduty)"));
        Notice notice = Notice.from(command, EVENTS);
        if (notice.event().equals("trigger") && notice.severity() == null) {
            throw new RejectedCommandException("malformed_parameters", "a PagerDuty trigger needs severity P1..P4");
        }
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

    private static ObjectNode body(String routingKey, ActionCommand command, Notice notice) {
        ObjectNode body = JSON.createObjectNode()
                .put("routing_key", routingKey)
                .put("event_action", notice.event())
                .put("dedup_key", command.getIncidentId());
        if (notice.event().equals("trigger")) {
            String summary = notice.title() + (notice.summary() == null ? "" : ": " + notice.summary());
            ObjectNode payload = body.putObject("payload")
                    .put("summary", summary.length() <= MAX_SUMMARY ? summary : summary.substring(0, MAX_SUMMARY))
                    .put("source", notice.service() == null ? "runstream" : notice.service())
                    .put("severity", severity(notice.severity()));
            if (notice.service() != null) {
                payload.put("component", notice.service());
            }
            ObjectNode details = payload.putObject("custom_details")
                    .put("incident_id", command.getIncidentId())
                    .put("priority", notice.severity().name())
                    .put("reason", command.getReason());
            if (notice.status() != null) {
                details.put("status", notice.status());
            }
            notice.impact().forEach(details.withArray("impact")::add);
            notice.actions().forEach(details.withArray("actions")::add);
            notice.links().forEach(link -> body.withArray("links").addObject().put("href", link.toString())
                    .put("text", link.getHost()));
        }
        return body;
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
