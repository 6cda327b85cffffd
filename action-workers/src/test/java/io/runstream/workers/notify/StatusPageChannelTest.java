package io.runstream.workers.notify;

import static io.runstream.workers.notify.ScriptedApi.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
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

/** NOTIFY to kind statuspage against a local server speaking Statuspage's incidents API. */
class StatusPageChannelTest {

    private static final String INCIDENTS = "/v1/pages/pg1/incidents";
    private static final Map<String, String> OPENED = Map.of("event", "opened", "title",
            "elevated error rates on the ML inference API", "severity", "P1", "service", "inference-gateway",
            "impact", "Users may experience slower response times or failures");

    private final HttpCalls http = HttpCalls.create(Clock.systemUTC(), Commands.FAST_RETRIES, Duration.ofSeconds(5));
    private ScriptedApi statuspage;

    @AfterEach
    void stop() {
        if (statuspage != null) {
            statuspage.close();
        }
    }

    private static ActionCommand notify(String id, Map<String, String> parameters) {
        ActionCommand command = Commands.fresh(Commands.command(id, ActionType.NOTIFY, "statuspage", null, "public",
                parameters));
        command.setIncidentId("inc-inference-5xx-042");
        return command;
    }

    private NotifySettings settings(String url) {
        return new NotifySettings(new NotifySettings.Slack(null, Map.of()), new NotifySettings.PagerDuty(null, null,
                Map.of()), new NotifySettings.Webhook(null, null), new NotifySettings.Ticket(null, null),
                Duration.ofSeconds(5), new NotifySettings.Inbox(false), new StatusPageSettings(url, "public", "pg1",
                        "sp-key-0001", List.of("cmp-inference"), List.of("P1", "P2")), null, null);
    }

    private CommandHandler handler(NotifySettings settings) {
        return new CommandHandler(NotificationExecutor.all(settings, http, new SimpleMeterRegistry()),
                RemediationMode.ENFORCE, SafetyPolicy.DEFAULTS, new DoneCommands(100), Clock.systemUTC(), "worker-1",
                new SimpleMeterRegistry());
    }

    @Test
    void createsUpdatesAndResolvesOnePublicIncidentFollowingRunbook004() throws IOException {
        statuspage = new ScriptedApi()
                .on("POST " + INCIDENTS, answer(201, "{\"id\":\"sp-inc-77\",\"status\":\"investigating\"}"))
                .on("PATCH " + INCIDENTS + "/sp-inc-77", answer(200, "{\"id\":\"sp-inc-77\"}"));
        CommandHandler handler = handler(settings(statuspage.url()));

        ActionResult opened = handler.handle(notify("sp1", OPENED)).orElseThrow();
        ActionResult update = handler.handle(notify("sp2", Map.of("event", "update", "status", "MITIGATING",
                "summary", "Rolled back to the previous release.", "nextUpdateAt", "2026-12-06T14:55:00Z")))
                .orElseThrow();
        ActionResult resolved = handler.handle(notify("sp3", Map.of("event", "resolved", "duration", "PT22M")))
                .orElseThrow();

        assertThat(List.of(opened, update, resolved)).extracting(ActionResult::getOutcome)
                .containsOnly(ActionOutcome.SUCCEEDED);
        assertThat(opened.getAfter()).containsEntry("statuspageIncidentId", "sp-inc-77");
        JsonNode created = statuspage.requests("POST", INCIDENTS).get(0).json().path("incident");
        assertThat(statuspage.requests("POST", INCIDENTS).get(0).header("Authorization"))
                .isEqualTo("OAuth sp-key-0001");
        assertThat(created.path("name").asText()).isEqualTo("elevated error rates on the ML inference API");
        assertThat(created.path("status").asText()).isEqualTo("investigating");
        assertThat(created.path("impact_override").asText()).isEqualTo("critical");
        assertThat(created.path("component_ids").get(0).asText()).isEqualTo("cmp-inference");
        assertThat(created.path("components").path("cmp-inference").asText()).isEqualTo("major_outage");
        assertThat(created.path("body").asText()).startsWith("We are currently investigating elevated error rates")
                .contains("Users may experience slower response times or failures.")
                .endsWith("We are actively working to resolve this issue.");
        assertThat(created.path("metadata").path("runstream").path("incident_id").asText())
                .isEqualTo("inc-inference-5xx-042");

        List<ScriptedApi.Request> patches = statuspage.requests("PATCH", INCIDENTS + "/sp-inc-77");
        assertThat(patches).hasSize(2);
        assertThat(patches.get(0).json().path("incident").path("status").asText()).isEqualTo("identified");
        assertThat(patches.get(0).json().path("incident").path("body").asText())
                .contains("Rolled back to the previous release.", "Next update by 2026-12-06 14:55 UTC");
        JsonNode closed = patches.get(1).json().path("incident");
        assertThat(closed.path("status").asText()).isEqualTo("resolved");
        assertThat(closed.path("components").path("cmp-inference").asText()).isEqualTo("operational");
        assertThat(closed.path("body").asText()).startsWith("The issue has been resolved. All services are operating"
                + " normally.").contains("22 minutes");
        assertThat(statuspage.requests("GET", INCIDENTS + "/unresolved")).isEmpty();
    }

    @Test
    void findsItsIncidentAmongTheUnresolvedAfterARestart() throws IOException {
        statuspage = new ScriptedApi()
                .on("GET " + INCIDENTS + "/unresolved", answer(200, "[{\"id\":\"sp-other\",\"metadata\":{}},"
                        + "{\"id\":\"sp-inc-77\",\"metadata\":{\"runstream\":{\"incident_id\":\"inc-inference-5xx-042\"}}}]"))
                .on("PATCH " + INCIDENTS + "/sp-inc-77", answer(200, "{\"id\":\"sp-inc-77\"}"));
        CommandHandler restarted = handler(settings(statuspage.url()));

        ActionResult resolved = restarted.handle(notify("sp4", Map.of("event", "resolved"))).orElseThrow();

        assertThat(resolved.getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(resolved.getAfter()).containsEntry("statuspageIncidentId", "sp-inc-77");
        assertThat(statuspage.requests("PATCH", INCIDENTS + "/sp-inc-77")).hasSize(1);
    }

    @Test
    void anUpdateForAnIncidentThePageNeverHadIsRejected() throws IOException {
        statuspage = new ScriptedApi().on("GET " + INCIDENTS + "/unresolved", answer(200, "[]"));

        ActionResult update = handler(settings(statuspage.url())).handle(notify("sp5", Map.of("event", "update")))
                .orElseThrow();

        assertThat(update.getOutcome()).isEqualTo(ActionOutcome.REJECTED);
        assertThat(update.getReasonCode()).isEqualTo("statuspage_incident_unknown");
    }

    @Test
    void severitiesThatAreNotPublishedAreRejectedWithoutACall() throws IOException {
        statuspage = new ScriptedApi();
        Map<String, String> p3 = new java.util.HashMap<>(OPENED);
        p3.put("severity", "P3");

        ActionResult result = handler(settings(statuspage.url())).handle(notify("sp6", p3)).orElseThrow();

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.REJECTED);
        assertThat(result.getReasonCode()).isEqualTo("severity_not_published");
        assertThat(result.getMessage()).contains("notifications.statuspage.severities");
        assertThat(statuspage.requests()).isEmpty();
    }

    @Test
    void serverErrorsAreRetriedThenFailWithoutNamingTheKey() throws IOException {
        statuspage = new ScriptedApi().on("POST " + INCIDENTS, answer(503, "{\"error\":\"maintenance\"}"));

        ActionResult result = handler(settings(statuspage.url())).handle(notify("sp7", OPENED)).orElseThrow();

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.getReasonCode()).isEqualTo("http_error");
        assertThat(result.getAttempts()).isEqualTo(Commands.FAST_RETRIES.maxAttempts());
        assertThat(result.getMessage()).contains("status page public", "HTTP 503").doesNotContain("sp-key-0001");
    }

    @Test
    void anUnreachablePageFailsAndARefusedKeyIsForbidden() throws IOException {
        statuspage = new ScriptedApi().on("POST " + INCIDENTS, answer(401, "{\"error\":\"unauthorized\"}"));
        ActionResult refused = handler(settings(statuspage.url())).handle(notify("sp8", OPENED)).orElseThrow();
        String gone = statuspage.url();
        statuspage.close();
        statuspage = null;

        ActionResult unreachable = handler(settings(gone)).handle(notify("sp9", OPENED)).orElseThrow();

        assertThat(refused.getOutcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(refused.getReasonCode()).isEqualTo("forbidden");
        assertThat(unreachable.getOutcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(unreachable.getReasonCode()).isEqualTo("http_error");
        assertThat(unreachable.getMessage()).contains("ConnectException");
    }

    @Test
    void malformedParametersAndAnUnconfiguredPageAreRejected() throws IOException {
        statuspage = new ScriptedApi();
        CommandHandler handler = handler(settings(statuspage.url()));
        ActionCommand otherPage = notify("sp10", OPENED);
        otherPage.getTarget().setName("internal");

        ActionResult malformed = handler.handle(notify("sp11", Map.of("event", "reopened"))).orElseThrow();
        ActionResult unknownPage = handler.handle(otherPage).orElseThrow();
        ActionResult off = handler(settings(null)).handle(notify("sp12", OPENED)).orElseThrow();

        assertThat(malformed.getReasonCode()).isEqualTo("malformed_parameters");
        assertThat(unknownPage.getReasonCode()).isEqualTo("channel_not_configured");
        assertThat(off.getReasonCode()).isEqualTo("channel_not_configured");
        assertThat(off.getMessage()).contains("notifications.statuspage");
        assertThat(statuspage.requests()).isEmpty();
    }

    @Test
    void withTheInboxOnAnUnconfiguredPageIsDeliveredThereAndAMalformedNoticeIsStillRefused() {
        NotifySettings off = settings(null);
        NotifySettings inbox = new NotifySettings(off.slack(), off.pagerduty(), off.webhook(), off.ticket(),
                off.requestTimeout(), new NotifySettings.Inbox(true), off.statuspage(), off.email(), off.jira());
        CommandHandler handler = handler(inbox);

        ActionResult delivered = handler.handle(notify("sp13", OPENED)).orElseThrow();
        ActionResult malformed = handler.handle(notify("sp14", Map.of("event", "opened", "severity", "P0")))
                .orElseThrow();

        assertThat(delivered.getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(delivered.getAfter()).containsEntry("delivery", "inbox").containsEntry("channel",
                "statuspage/public");
        assertThat(delivered.getAfter().get("text")).startsWith("INCIDENT: elevated error rates");
        assertThat(malformed.getReasonCode()).isEqualTo("malformed_parameters");
    }

    @Test
    void settingsAreCheckedAtStart() {
        assertThatThrownBy(() -> new StatusPageSettings("ftp://status", "public", "pg1", "k", null, null))
                .hasMessageContaining("notifications.statuspage.url must be an http(s) URL");
        assertThatThrownBy(() -> new StatusPageSettings("https://api.statuspage.io", "public", "", "k", null, null))
                .hasMessageContaining("notifications.statuspage.pageId must be set");
        assertThatThrownBy(() -> new StatusPageSettings("https://api.statuspage.io", "public", "pg1", null, null,
                null)).hasMessageContaining("notifications.statuspage.apiKey must be set");
        assertThatThrownBy(() -> new StatusPageSettings(null, null, null, null, null, List.of("P9")))
                .hasMessageContaining("notifications.statuspage.severities must list P1, P2, P3 or P4, not 'P9'");
    }
}
