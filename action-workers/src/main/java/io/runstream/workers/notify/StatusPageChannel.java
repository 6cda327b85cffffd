package io.runstream.workers.notify;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.Severity;
import io.runstream.workers.Execution;
import io.runstream.workers.ExecutionFailure;
import io.runstream.workers.RejectedCommandException;
import io.runstream.workers.http.HttpCalls;

/**
 * NOTIFY to kind {@code statuspage}: a public incident on an Atlassian Statuspage-compatible page. {@code opened}
 * creates it (POST /v1/pages/{page}/incidents) with the impact and the components' status from the severity;
 * {@code update} and {@code resolved} PATCH it. The Statuspage id is kept per Runstream incident and, after a
 * restart, found again among the page's unresolved incidents by the {@code metadata.runstream.incident_id} the
 * create set. Bodies follow runbook 004's Status Page Update Template.
 */
final class StatusPageChannel implements NoticeChannel {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StatusPageSettings settings;
    private final HttpCalls http;
    private final ExternalIds ids = new ExternalIds(10_000);

    StatusPageChannel(StatusPageSettings settings, HttpCalls http) {
        this.settings = settings;
        this.http = http;
    }

    @Override
    public String kind() {
        return "statuspage";
    }

    @Override
    public Execution deliver(ActionCommand command, Notice notice, boolean dryRun) {
        String name = command.getTarget().getName();
        if (!settings.enabled() || !settings.name().equalsIgnoreCase(name)) {
            throw new RejectedCommandException("channel_not_configured", "no status page is configured for " + name
                    + " (notifications.statuspage)");
        }
        if (notice.event().equals("opened") && (notice.severity() == null
                || !settings.published().contains(notice.severity()))) {
            throw new RejectedCommandException("severity_not_published", "status page " + name + " publishes "
                    + settings.severities() + " incidents, not " + notice.severity()
                    + " (notifications.statuspage.severities)");
        }
        String channel = "status page " + name;
        String status = status(notice);
        if (dryRun) {
            return Execution.dryRun("would post " + status + " to " + channel, Map.of(),
                    Map.of("statuspageStatus", status));
        }
        Optional<String> known = notice.event().equals("opened") ? Optional.empty() : find(command, channel);
        if (known.isEmpty() && !notice.event().equals("opened")) {
            throw new RejectedCommandException("statuspage_incident_unknown", channel + " has no unresolved incident"
                    + " for " + command.getIncidentId() + " to " + notice.event());
        }
        ObjectNode body = JSON.createObjectNode();
        ObjectNode incident = body.putObject("incident").put("status", status).put("body", body(notice, status));
        if (notice.severity() != null) {
            incident.put("impact_override", impact(notice.severity()));
        }
        if (!settings.components().isEmpty()) {
            settings.components().forEach(incident.putArray("component_ids")::add);
            ObjectNode components = incident.putObject("components");
            String state = componentStatus(notice);
            settings.components().forEach(id -> components.put(id, state));
        }
        HttpCalls.Reply reply;
        if (known.isEmpty()) {
            incident.put("name", notice.title());
            incident.putObject("metadata").putObject("runstream").put("incident_id", command.getIncidentId());
            reply = http.send(command, channel, request(incidentsPath(), command).POST(publisher(body)));
        } else {
            reply = http.send(command, channel, request(incidentsPath() + "/" + known.get(), command)
                    .method("PATCH", publisher(body)));
        }
        String id = known.orElseGet(() -> idOf(reply, channel));
        ids.put(command.getIncidentId(), id);
        return Execution.succeeded((known.isEmpty() ? "created" : "updated") + " " + channel + " incident " + id
                + " as " + status, Map.of(), Map.of("statuspageIncidentId", id, "statuspageStatus", status,
                        "channel", "statuspage/" + name)).withAttempts(reply.attempts());
    }

    /** The remembered id, else the unresolved incident whose metadata names this Runstream incident. */
    private Optional<String> find(ActionCommand command, String channel) {
        Optional<String> remembered = ids.get(command.getIncidentId());
        if (remembered.isPresent()) {
            return remembered;
        }
        HttpCalls.Reply reply = http.send(command, channel, request(incidentsPath() + "/unresolved", command).GET());
        for (JsonNode incident : json(reply, channel)) {
            if (command.getIncidentId().equals(incident.path("metadata").path("runstream").path("incident_id")
                    .asText(null)) && incident.hasNonNull("id")) {
                ids.put(command.getIncidentId(), incident.get("id").asText());
                return Optional.of(incident.get("id").asText());
            }
        }
        return Optional.empty();
    }

    private String incidentsPath() {
        return "/v1/pages/" + settings.pageId() + "/incidents";
    }

    private HttpRequest.Builder request(String path, ActionCommand command) {
        String base = settings.url().endsWith("/") ? settings.url().substring(0, settings.url().length() - 1)
                : settings.url();
        return HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "OAuth " + settings.apiKey())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", command.getCommandId());
    }

    private static HttpRequest.BodyPublisher publisher(ObjectNode body) {
        return HttpRequest.BodyPublishers.ofString(body.toString());
    }

    private static String idOf(HttpCalls.Reply reply, String channel) {
        String id = json(reply, channel).path("id").asText("");
        if (id.isBlank()) {
            throw new ExecutionFailure("unexpected_response", channel + " answered the create without an incident id",
                    reply.attempts());
        }
        return id;
    }

    private static JsonNode json(HttpCalls.Reply reply, String channel) {
        try {
            return JSON.readTree(reply.body() == null ? "" : reply.body());
        } catch (JsonProcessingException e) {
            throw new ExecutionFailure("unexpected_response", channel + " answered with something that is not JSON",
                    reply.attempts());
        }
    }

    /** investigating when opened, resolved when resolved; an update reads the incident's status. */
    static String status(Notice notice) {
        if (notice.event().equals("opened")) {
            return "investigating";
        }
        if (notice.event().equals("resolved")) {
            return "resolved";
        }
        String status = notice.status() == null ? "" : notice.status().toLowerCase(Locale.ROOT);
        if (status.contains("monitor") || status.contains("mitigated")) {
            return "monitoring";
        }
        return status.contains("investigat") ? "investigating" : "identified";
    }

    /** P1 critical, P2 major, P3 minor, P4 none. */
    static String impact(Severity severity) {
        return switch (severity) {
            case P1 -> "critical";
            case P2 -> "major";
            case P3 -> "minor";
            default -> "none";
        };
    }

    private static String componentStatus(Notice notice) {
        if (notice.event().equals("resolved")) {
            return "operational";
        }
        if (notice.severity() == null) {
            return "degraded_performance";
        }
        return switch (notice.severity()) {
            case P1 -> "major_outage";
            case P2 -> "partial_outage";
            default -> "degraded_performance";
        };
    }

    /**
     * Runbook 004's wording: "We are currently investigating ... We are actively working to resolve this issue.",
     * an update with what was done and when the next one comes, "The issue has been resolved. All services are
     * operating normally." Public text: the impact and summary, never internal commands or names.
     */
    static String body(Notice notice, String status) {
        String service = notice.service() == null ? "one of our services" : notice.service();
        StringBuilder text = new StringBuilder();
        switch (status) {
            case "investigating" -> text.append("We are currently investigating ").append(notice.title())
                    .append(" affecting ").append(service).append(".");
            case "resolved" -> text.append("The issue has been resolved. All services are operating normally.");
            case "monitoring" -> text.append("A fix has been implemented and we are monitoring ").append(service)
                    .append(".");
            default -> text.append("We have identified the cause of ").append(notice.title())
                    .append(" and are implementing a fix.");
        }
        if (!notice.impact().isEmpty() && !status.equals("resolved")) {
            text.append(" ").append(String.join(" ", notice.impact().stream()
                    .map(line -> line.endsWith(".") ? line : line + ".").toList()));
        }
        if (notice.summary() != null) {
            text.append(" ").append(notice.summary());
        }
        if (status.equals("investigating")) {
            text.append(" We are actively working to resolve this issue.");
        } else if (!status.equals("resolved") && notice.nextUpdateAt() != null) {
            text.append(" Next update by ").append(NoticeFormat.time(notice.nextUpdateAt())).append(".");
        } else if (status.equals("resolved") && notice.duration() != null) {
            text.append(" The incident lasted ").append(NoticeFormat.duration(notice.duration())).append(".");
        }
        return Notice.truncated(text.toString(), Notice.MAX_TEXT);
    }
}
