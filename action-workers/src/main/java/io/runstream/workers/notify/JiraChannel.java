package io.runstream.workers.notify;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.runstream.avro.ActionCommand;
import io.runstream.workers.Execution;
import io.runstream.workers.ExecutionFailure;
import io.runstream.workers.RejectedCommandException;
import io.runstream.workers.http.HttpCalls;

/**
 * TICKET to kind {@code jira}: {@code opened} creates an issue (POST /rest/api/2/issue) in the project the target
 * name maps to, {@code update} comments on it, {@code resolved} comments and takes the configured done transition.
 * Each issue carries the label {@code runstream-<incident id>}: the issue key is kept per incident and, after a
 * restart, found again by a search on that label, and an {@code opened} for an incident that already has an issue
 * comments instead of creating a second one.
 */
final class JiraChannel implements NoticeChannel {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JiraSettings settings;
    private final HttpCalls http;
    private final ExternalIds keys = new ExternalIds(10_000);

    JiraChannel(JiraSettings settings, HttpCalls http) {
        this.settings = settings;
        this.http = http;
    }

    @Override
    public String kind() {
        return "jira";
    }

    @Override
    public Execution deliver(ActionCommand command, Notice notice, boolean dryRun) {
        String name = command.getTarget().getName();
        Optional<String> project = settings.enabled() ? settings.projectFor(name) : Optional.empty();
        if (project.isEmpty()) {
            throw new RejectedCommandException("channel_not_configured", "no Jira project is configured for " + name
                    + " (notifications.jira.projects)");
        }
        String channel = "Jira project " + project.get();
        if (dryRun) {
            return Execution.dryRun("would send " + notice.event() + " to " + channel, Map.of(),
                    Map.of("jiraProject", project.get()));
        }
        Optional<String> known = find(command, channel);
        int attempts;
        String key;
        String done;
        if (known.isEmpty()) {
            if (!notice.event().equals("opened")) {
                throw new RejectedCommandException("jira_issue_unknown", channel + " has no issue labelled "
                        + label(command) + " to " + notice.event());
            }
            HttpCalls.Reply reply = http.send(command, channel, request("/rest/api/2/issue")
                    .POST(publisher(issue(command, notice, project.get()))));
            key = json(reply, channel).path("key").asText("");
            if (key.isBlank()) {
                throw new ExecutionFailure("unexpected_response", channel + " answered the create without an issue key",
                        reply.attempts());
            }
            attempts = reply.attempts();
            done = "created";
        } else {
            key = known.get();
            ObjectNode comment = JSON.createObjectNode().put("body", description(command, notice));
            attempts = http.send(command, channel, request("/rest/api/2/issue/" + key + "/comment")
                    .POST(publisher(comment))).attempts();
            done = "commented on";
            if (notice.event().equals("resolved")) {
                attempts += transitionToDone(command, channel, key);
                done = "commented on and resolved";
            }
        }
        keys.put(command.getIncidentId(), key);
        return Execution.succeeded(done + " " + key + " in " + channel, Map.of(), Map.of("jiraIssueKey", key,
                "jiraProject", project.get(), "channel", "jira/" + name)).withAttempts(attempts);
    }

    private Optional<String> find(ActionCommand command, String channel) {
        Optional<String> remembered = keys.get(command.getIncidentId());
        if (remembered.isPresent()) {
            return remembered;
        }
        String jql = "labels = \"" + label(command) + "\" ORDER BY created ASC";
        HttpCalls.Reply reply = http.send(command, channel, request("/rest/api/2/search?maxResults=1&fields=key&jql="
                + URLEncoder.encode(jql, StandardCharsets.UTF_8).replace("+", "%20")).GET());
        JsonNode issues = json(reply, channel).path("issues");
        if (issues.isArray() && !issues.isEmpty() && issues.get(0).hasNonNull("key")) {
            String key = issues.get(0).get("key").asText();
            keys.put(command.getIncidentId(), key);
            return Optional.of(key);
        }
        return Optional.empty();
    }

    /** The transition named (case-insensitively) or numbered as configured; 0 attempts if the issue is done. */
    private int transitionToDone(ActionCommand command, String channel, String key) {
        String path = "/rest/api/2/issue/" + key + "/transitions";
        HttpCalls.Reply listed = http.send(command, channel, request(path).GET());
        String wanted = settings.doneTransition();
        for (JsonNode transition : json(listed, channel).path("transitions")) {
            if (wanted.equals(transition.path("id").asText()) || wanted.equalsIgnoreCase(transition.path("name")
                    .asText())) {
                ObjectNode body = JSON.createObjectNode();
                body.putObject("transition").put("id", transition.path("id").asText());
                return listed.attempts() + http.send(command, channel, request(path).POST(publisher(body)))
                        .attempts();
            }
        }
        throw new ExecutionFailure("transition_not_found", channel + " offers no transition '" + wanted + "' for "
                + key + " (notifications.jira.doneTransition); the comment was added", listed.attempts());
    }

    private ObjectNode issue(ActionCommand command, Notice notice, String project) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode fields = body.putObject("fields");
        fields.putObject("project").put("key", project);
        fields.putObject("issuetype").put("name", settings.issueType());
        fields.put("summary", Notice.truncated((notice.severity() == null ? "" : "[" + notice.severity() + "] ")
                + notice.title(), 255));
        fields.put("description", description(command, notice));
        List<String> labels = new ArrayList<>(settings.labels());
        labels.add("runstream");
        labels.add(label(command));
        if (notice.severity() != null) {
            labels.add("severity-" + notice.severity().name().toLowerCase(java.util.Locale.ROOT));
        }
        labels.stream().distinct().forEach(fields.putArray("labels")::add);
        return body;
    }

    /** The notice's facts, impact, actions and a timeline line, in Jira wiki markup. */
    static String description(ActionCommand command, Notice notice) {
        StringBuilder text = new StringBuilder("h3. ").append(NoticeFormat.headline(notice.event())).append(": ")
                .append(notice.title()).append("\n");
        NoticeFormat.facts(notice).forEach(fact -> text.append("*").append(fact.label()).append(":* ")
                .append(fact.value()).append("\n"));
        if (!notice.impact().isEmpty()) {
            text.append("\n*Impact:*\n");
            notice.impact().forEach(line -> text.append("* ").append(line).append("\n"));
        }
        if (!notice.actions().isEmpty()) {
            text.append("\n*").append(NoticeFormat.actionsLabel(notice.event())).append(":*\n");
            notice.actions().forEach(line -> text.append("* ").append(line).append("\n"));
        }
        if (notice.summary() != null) {
            text.append("\n").append(notice.summary()).append("\n");
        }
        if (notice.dashboard() != null) {
            text.append("\n[Runstream dashboard|").append(notice.dashboard()).append("]\n");
        }
        text.append("\n*Timeline:*\n* ").append(NoticeFormat.time(command.getIssuedAt())).append(" ")
                .append(notice.event()).append(notice.status() == null ? "" : " (" + notice.status() + ")")
                .append(": ").append(command.getReason()).append("\n");
        text.append("\nRunstream incident ").append(command.getIncidentId());
        return Notice.truncated(text.toString(), 30_000);
    }

    private static String label(ActionCommand command) {
        return "runstream-" + command.getIncidentId().replaceAll("[^A-Za-z0-9_-]", "-");
    }

    private HttpRequest.Builder request(String path) {
        String base = settings.url().endsWith("/") ? settings.url().substring(0, settings.url().length() - 1)
                : settings.url();
        return HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Authorization", authorization());
    }

    private String authorization() {
        if (ChannelSettings.set(settings.email())) {
            return "Basic " + Base64.getEncoder().encodeToString((settings.email() + ":" + settings.apiToken())
                    .getBytes(StandardCharsets.UTF_8));
        }
        return "Bearer " + settings.apiToken();
    }

    private static HttpRequest.BodyPublisher publisher(ObjectNode body) {
        return HttpRequest.BodyPublishers.ofString(body.toString());
    }

    private static JsonNode json(HttpCalls.Reply reply, String channel) {
        try {
            return JSON.readTree(reply.body() == null || reply.body().isBlank() ? "{}" : reply.body());
        } catch (JsonProcessingException e) {
            throw new ExecutionFailure("unexpected_response", channel + " answered with something that is not JSON",
                    reply.attempts());
        }
    }
}
