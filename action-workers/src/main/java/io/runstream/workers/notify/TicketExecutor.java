package io.runstream.workers.notify;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionType;
import io.runstream.workers.Execution;
import io.runstream.workers.RejectedCommandException;
import io.runstream.workers.http.HttpCalls;

/**
 * TICKET: asks the team's ticketing system for a ticket about an incident, by POSTing the incident JSON plus the
 * target queue to one configured webhook. Ticketing systems differ too much (Jira, ServiceNow, Linear, ...) for
 * one client to serve them all, so a small bridge or an automation rule on the receiving side maps the JSON; the
 * incident id is the natural external reference that keeps one ticket per incident and queue. Kind {@code jira}
 * goes to Jira's REST API directly ({@link JiraChannel}).
 */
public final class TicketExecutor implements NotificationExecutor {

    static final Set<String> EVENTS = Set.of("opened", "update", "resolved");

    private final NotifySettings.Ticket settings;
    private final HttpCalls http;
    private final JiraChannel jira;

    public TicketExecutor(NotifySettings.Ticket settings, HttpCalls http) {
        this(settings, JiraSettings.OFF, http);
    }

    /** With Jira for kind {@code jira} besides the ticket webhook for kind {@code ticket}. */
    public TicketExecutor(NotifySettings.Ticket settings, JiraSettings jira, HttpCalls http) {
        this.settings = settings;
        this.http = http;
        this.jira = new JiraChannel(jira, http);
    }

    @Override
    public ActionType type() {
        return ActionType.TICKET;
    }

    @Override
    public Notice notice(ActionCommand command) {
        return Notice.from(command, EVENTS);
    }

    @Override
    public Execution execute(ActionCommand command, boolean dryRun) {
        String kind = command.getTarget().getKind();
        if (kind.equals(jira.kind())) {
            return jira.deliver(command, notice(command), dryRun);
        }
        if (!kind.equals("ticket")) {
            throw new RejectedCommandException("unsupported_kind", "TICKET goes to kind ticket or jira, not " + kind);
        }
        if (!settings.enabled()) {
            throw new RejectedCommandException("channel_not_configured",
                    "no ticket webhook is configured (notifications.ticket.url)");
        }
        String queue = command.getTarget().getName();
        Notice notice = notice(command);
        Map<String, String> after = Map.of("ticket", notice.event(), "queue", queue,
                "externalReference", command.getIncidentId());
        if (dryRun) {
            return Execution.dryRun("would send ticket " + notice.event() + " to queue " + queue, Map.of(), after);
        }
        ObjectNode body = IncidentJson.body(command, notice).put("queue", queue);
        HttpCalls.Reply reply = http.send(command, "ticket queue " + queue,
                IncidentJson.post(settings.url(), settings.bearerToken(), command, body));
        return Execution.succeeded("sent ticket " + notice.event() + " to queue " + queue, Map.of(), after)
                .withAttempts(reply.attempts());
    }
}
