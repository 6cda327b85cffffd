package io.runstream.workers.notify;

import static io.runstream.workers.notify.ScriptedApi.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionType;
import io.runstream.workers.CommandHandler;
import io.runstream.workers.Commands;
import io.runstream.workers.DoneCommands;
import io.runstream.workers.RemediationMode;
import io.runstream.workers.SafetyPolicy;
import io.runstream.workers.http.HttpCalls;

/** TICKET to kind jira against a local server speaking Jira's REST API v2. */
class JiraChannelTest {

    private static final Map<String, String> OPENED = Map.of("event", "opened", "title",
            "Model Service Degradation", "severity", "P3", "service", "fraud-model", "status", "INVESTIGATING",
            "impact", "Accuracy dropped to 75% (target: 90%)", "actions", "Rolling back to v1.1.0");
    private static final String TRANSITIONS = "/rest/api/2/issue/MLOPS-42/transitions";

    private final HttpCalls http = HttpCalls.create(Clock.systemUTC(), Commands.FAST_RETRIES, Duration.ofSeconds(5));
    private ScriptedApi jira;

    @AfterEach
    void stop() {
        if (jira != null) {
            jira.close();
        }
    }

    private static ActionCommand ticket(String id, Map<String, String> parameters) {
        ActionCommand command = Commands.fresh(Commands.command(id, ActionType.TICKET, "jira", null, "ml-platform",
                parameters));
        command.setIncidentId("inc-fraud-accuracy-017");
        command.setReason("fraud-model accuracy below target");
        return command;
    }

    private CommandHandler handler(String url, String email) {
        NotifySettings settings = new NotifySettings(new NotifySettings.Slack(null, Map.of()),
                new NotifySettings.PagerDuty(null, null, Map.of()), new NotifySettings.Webhook(null, null),
                new NotifySettings.Ticket(null, null), Duration.ofSeconds(5), new NotifySettings.Inbox(false), null,
                null, new JiraSettings(url, email, "jira-token-0001", Map.of("ml-platform", "MLOPS"), "Incident",
                        List.of("ml-incident"), "Done"));
        return new CommandHandler(NotificationExecutor.all(settings, http, new SimpleMeterRegistry()),
                RemediationMode.ENFORCE, SafetyPolicy.DEFAULTS, new DoneCommands(100), Clock.systemUTC(), "worker-1",
                new SimpleMeterRegistry());
    }

    private static ScriptedApi jiraWithIssue() throws IOException {
        return new ScriptedApi()
                .on("GET /rest/api/2/search", answer(200, "{\"issues\":[]}"))
                .on("POST /rest/api/2/issue", answer(201, "{\"id\":\"10042\",\"key\":\"MLOPS-42\"}"))
                .on("POST /rest/api/2/issue/MLOPS-42/comment", answer(201, "{\"id\":\"1\"}"))
                .on("GET " + TRANSITIONS, answer(200, "{\"transitions\":[{\"id\":\"11\",\"name\":\"In Progress\"},"
                        + "{\"id\":\"31\",\"name\":\"Done\"}]}"))
                .on("POST " + TRANSITIONS, answer(204, ""));
    }

    @Test
    void createsCommentsAndTransitionsOneIssuePerIncident() throws IOException {
        jira = jiraWithIssue();
        CommandHandler handler = handler(jira.url(), "oncall@example.com");

        ActionResult opened = handler.handle(ticket("j1", OPENED)).orElseThrow();
        ActionResult update = handler.handle(ticket("j2", Map.of("event", "update", "status", "MITIGATING",
                "actions", "Rolled back to v1.1.0"))).orElseThrow();
        ActionResult resolved = handler.handle(ticket("j3", Map.of("event", "resolved", "duration", "PT22M",
                "resolvedBy", "rollback to v1.1.0"))).orElseThrow();

        assertThat(List.of(opened, update, resolved)).extracting(ActionResult::getOutcome)
                .containsOnly(ActionOutcome.SUCCEEDED);
        assertThat(opened.getAfter()).containsEntry("jiraIssueKey", "MLOPS-42").containsEntry("jiraProject", "MLOPS");
        ScriptedApi.Request create = jira.requests("POST", "/rest/api/2/issue").get(0);
        assertThat(create.header("Authorization")).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
                "oncall@example.com:jira-token-0001".getBytes(StandardCharsets.UTF_8)));
        JsonNode fields = create.json().path("fields");
        assertThat(fields.path("project").path("key").asText()).isEqualTo("MLOPS");
        assertThat(fields.path("issuetype").path("name").asText()).isEqualTo("Incident");
        assertThat(fields.path("summary").asText()).isEqualTo("[P3] Model Service Degradation");
        assertThat(fields.path("description").asText()).contains("*Severity:* P3 (medium)",
                "* Accuracy dropped to 75% (target: 90%)", "*Timeline:*", "opened (INVESTIGATING): fraud-model accuracy",
                "Runstream incident inc-fraud-accuracy-017");
        assertThat(fields.path("labels")).extracting(JsonNode::asText).containsExactly("ml-incident", "runstream",
                "runstream-inc-fraud-accuracy-017", "severity-p3");

        List<ScriptedApi.Request> comments = jira.requests("POST", "/rest/api/2/issue/MLOPS-42/comment");
        assertThat(comments).hasSize(2);
        assertThat(comments.get(0).json().path("body").asText()).contains("INCIDENT UPDATE", "Rolled back to v1.1.0");
        assertThat(comments.get(1).json().path("body").asText()).contains("INCIDENT RESOLVED", "*Duration:* 22 minutes");
        assertThat(jira.requests("POST", TRANSITIONS).get(0).json().path("transition").path("id").asText())
                .isEqualTo("31");
        assertThat(resolved.getMessage()).contains("resolved MLOPS-42");
        // the key is remembered: one search, for the first notice only
        assertThat(jira.requests("GET", "/rest/api/2/search")).hasSize(1);
    }

    @Test
    void findsTheIssueByItsIncidentLabelAfterARestart() throws IOException {
        jira = new ScriptedApi()
                .on("GET /rest/api/2/search", answer(200, "{\"issues\":[{\"id\":\"10042\",\"key\":\"MLOPS-42\"}]}"))
                .on("POST /rest/api/2/issue/MLOPS-42/comment", answer(201, "{\"id\":\"2\"}"));
        CommandHandler restarted = handler(jira.url(), null);

        ActionResult update = restarted.handle(ticket("j4", Map.of("event", "update"))).orElseThrow();

        assertThat(update.getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(update.getAfter()).containsEntry("jiraIssueKey", "MLOPS-42");
        ScriptedApi.Request search = jira.requests("GET", "/rest/api/2/search").get(0);
        assertThat(search.query()).contains("labels = \"runstream-inc-fraud-accuracy-017\"");
        assertThat(search.header("Authorization")).isEqualTo("Bearer jira-token-0001");
        assertThat(jira.requests("POST", "/rest/api/2/issue")).isEmpty();
    }

    @Test
    void theCloseOutsNotifyResolvedToAJiraChannelResolvesTheIssue() throws IOException {
        // close-out sends TICKET only to kind ticket; any other kind the episode reached gets NOTIFY resolved
        jira = new ScriptedApi()
                .on("GET /rest/api/2/search", answer(200, "{\"issues\":[{\"key\":\"MLOPS-42\"}]}"))
                .on("POST /rest/api/2/issue/MLOPS-42/comment", answer(201, "{\"id\":\"4\"}"))
                .on("GET " + TRANSITIONS, answer(200, "{\"transitions\":[{\"id\":\"31\",\"name\":\"Done\"}]}"))
                .on("POST " + TRANSITIONS, answer(204, ""));
        ActionCommand closeOut = ticket("j12", Map.of("event", "resolved"));
        closeOut.setType(ActionType.NOTIFY);

        ActionResult resolved = handler(jira.url(), null).handle(closeOut).orElseThrow();

        assertThat(resolved.getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(resolved.getAfter()).containsEntry("jiraIssueKey", "MLOPS-42");
        assertThat(jira.requests("POST", TRANSITIONS)).hasSize(1);
    }

    @Test
    void aMissingDoneTransitionFailsNamingIt() throws IOException {
        jira = new ScriptedApi()
                .on("GET /rest/api/2/search", answer(200, "{\"issues\":[{\"key\":\"MLOPS-42\"}]}"))
                .on("POST /rest/api/2/issue/MLOPS-42/comment", answer(201, "{\"id\":\"3\"}"))
                .on("GET " + TRANSITIONS, answer(200, "{\"transitions\":[{\"id\":\"11\",\"name\":\"In Progress\"}]}"));

        ActionResult resolved = handler(jira.url(), null).handle(ticket("j5", Map.of("event", "resolved")))
                .orElseThrow();

        assertThat(resolved.getOutcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(resolved.getReasonCode()).isEqualTo("transition_not_found");
        assertThat(resolved.getMessage()).contains("'Done'", "MLOPS-42", "notifications.jira.doneTransition");
    }

    @Test
    void serverErrorsRefusalsAndAnUnreachableSiteFail() throws IOException {
        jira = new ScriptedApi()
                .on("GET /rest/api/2/search", answer(200, "{\"issues\":[]}"))
                .on("POST /rest/api/2/issue", answer(500, "{\"errorMessages\":[\"boom\"]}"));
        ActionResult serverError = handler(jira.url(), null).handle(ticket("j6", OPENED)).orElseThrow();
        jira.close();
        jira = new ScriptedApi()
                .on("GET /rest/api/2/search", answer(200, "{\"issues\":[]}"))
                .on("POST /rest/api/2/issue", answer(400, "{\"errors\":{\"issuetype\":\"invalid\"}}"));
        ActionResult badRequest = handler(jira.url(), null).handle(ticket("j7", OPENED)).orElseThrow();
        String gone = jira.url();
        jira.close();
        jira = null;

        ActionResult unreachable = handler(gone, null).handle(ticket("j8", OPENED)).orElseThrow();

        assertThat(serverError.getOutcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(serverError.getAttempts()).isEqualTo(Commands.FAST_RETRIES.maxAttempts());
        assertThat(serverError.getMessage()).contains("Jira project MLOPS", "HTTP 500")
                .doesNotContain("jira-token-0001");
        assertThat(badRequest.getReasonCode()).isEqualTo("http_error");
        assertThat(badRequest.getMessage()).contains("HTTP 400", "issuetype");
        assertThat(unreachable.getOutcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(unreachable.getMessage()).contains("ConnectException");
    }

    @Test
    void malformedParametersAnUnknownProjectAndAnUpdateWithoutIssueAreRejected() throws IOException {
        jira = new ScriptedApi().on("GET /rest/api/2/search", answer(200, "{\"issues\":[]}"));
        CommandHandler handler = handler(jira.url(), null);
        ActionCommand otherProject = ticket("j9", OPENED);
        otherProject.getTarget().setName("payments");

        ActionResult malformed = handler.handle(ticket("j10", Map.of("event", "opened", "severity", "P7")))
                .orElseThrow();
        ActionResult unknownProject = handler.handle(otherProject).orElseThrow();
        ActionResult orphanUpdate = handler.handle(ticket("j11", Map.of("event", "update"))).orElseThrow();

        assertThat(malformed.getReasonCode()).isEqualTo("malformed_parameters");
        assertThat(unknownProject.getReasonCode()).isEqualTo("channel_not_configured");
        assertThat(unknownProject.getMessage()).contains("notifications.jira.projects");
        assertThat(orphanUpdate.getOutcome()).isEqualTo(ActionOutcome.REJECTED);
        assertThat(orphanUpdate.getReasonCode()).isEqualTo("jira_issue_unknown");
    }

    @Test
    void settingsAreCheckedAtStart() {
        assertThatThrownBy(() -> new JiraSettings("not a url", null, "t", Map.of("a", "MLOPS"), null, null, null))
                .hasMessageContaining("notifications.jira.url must be an http(s) URL");
        assertThatThrownBy(() -> new JiraSettings("https://example.atlassian.net", null, null, Map.of("a", "MLOPS"),
                null, null, null)).hasMessageContaining("notifications.jira.apiToken must be set");
        assertThatThrownBy(() -> new JiraSettings("https://example.atlassian.net", null, "t", Map.of(), null, null,
                null)).hasMessageContaining("notifications.jira.projects must map at least one");
        assertThatThrownBy(() -> new JiraSettings("https://example.atlassian.net", null, "t", Map.of("ml", "ml ops"),
                null, null, null)).hasMessageContaining("notifications.jira.projects.ml must be a Jira project key");
    }
}
