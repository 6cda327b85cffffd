package io.runstream.workers.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
import io.runstream.workers.notify.NotificationExecutor;
import io.runstream.workers.notify.NotifySettings;
import io.runstream.testing.FakeSlackWebApi;

/** NOTIFY to Slack through the app (bot token, Web API) against a local server speaking chat.postMessage/update. */
class SlackAppNotifyTest {

    private static final String TOKEN = "xoxb-test-token";
    private static final String CHANNEL = "C0MLINCIDT";
    private static final String INCIDENT = "inc-inference-gateway-5xx-003";
    private static final Map<String, String> OPENED = Map.of("event", "opened", "title",
            "High Error Rate - Inference Gateway", "severity", "P1", "service", "inference-gateway", "status",
            "investigating", "startedAt", "2026-12-06T05:00:00Z");
    private static final Map<String, String> ACKNOWLEDGED = Map.of("event", "update", "title",
            "High Error Rate - Inference Gateway", "severity", "P1", "service", "inference-gateway", "status",
            "acknowledged", "commander", "alice", "startedAt", "2026-12-06T05:00:00Z");

    private final HttpCalls http = HttpCalls.create(Clock.systemUTC(), Commands.FAST_RETRIES, Duration.ofSeconds(5));
    private FakeSlackWebApi slack;

    @BeforeEach
    void start() throws Exception {
        slack = new FakeSlackWebApi(TOKEN);
    }

    @AfterEach
    void stop() {
        slack.close();
    }

    @Test
    void firstNoticePostsWithButtonsAndRecordsTheMessage() {
        ActionResult result = handler(settings(TOKEN)).handle(notify("n1", OPENED)).orElseThrow();

        assertThat(result.getOutcome()).as(result.getMessage()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(slack.calls()).extracting(FakeSlackWebApi.Call::method).containsExactly("chat.postMessage");
        FakeSlackWebApi.Call post = slack.calls().get(0);
        assertThat(post.authorization()).isEqualTo("Bearer " + TOKEN);
        assertThat(post.body().path("channel").asText()).isEqualTo(CHANNEL);
        assertThat(post.body().path("text").asText()).contains("High Error Rate - Inference Gateway");
        assertThat(buttons(post.body())).containsExactly("runstream_acknowledge", "runstream_resolve");
        assertThat(buttonValue(post.body(), "runstream_acknowledge").path("incidentId").asText()).isEqualTo(INCIDENT);
        // handed back on the click's incident command, so the processor routes it without a lookup (issue 19)
        assertThat(buttonValue(post.body(), "runstream_acknowledge").path("correlationKey").asText())
                .isEqualTo("ml-prod/inference-gateway");
        assertThat(result.getAfter()).containsEntry("slackChannel", CHANNEL).containsEntry("slackMethod",
                "chat.postMessage").containsKey("slackTs");
    }

    @Test
    void acknowledgementUpdatesTheSameMessageShowingWhoAndDropsTheAcknowledgeButton() {
        CommandHandler handler = handler(settings(TOKEN));
        String ts = handler.handle(notify("n1", OPENED)).orElseThrow().getAfter().get("slackTs");

        ActionResult result = handler.handle(notify("n2", ACKNOWLEDGED)).orElseThrow();

        assertThat(result.getOutcome()).as(result.getMessage()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(slack.calls()).extracting(FakeSlackWebApi.Call::method)
                .containsExactly("chat.postMessage", "chat.update");
        assertThat(result.getAfter()).containsEntry("slackTs", ts).containsEntry("slackMethod", "chat.update");
        JsonNode shown = slack.message(CHANNEL, ts);
        assertThat(shown.toString()).contains("Acknowledged by alice");
        assertThat(buttons(shown)).containsExactly("runstream_resolve");
    }

    @Test
    void restartedWorkerFindsTheMessageFromEarlierResults() {
        ActionResult posted = handler(settings(TOKEN)).handle(notify("n1", OPENED)).orElseThrow();
        CommandHandler restarted = handler(settings(TOKEN));

        restarted.restore(List.of(posted));
        ActionResult resolved = restarted.handle(notify("n3", Map.of("event", "resolved", "title", "High Error Rate",
                "resolvedBy", "alice"))).orElseThrow();

        assertThat(resolved.getAfter()).containsEntry("slackMethod", "chat.update")
                .containsEntry("slackTs", posted.getAfter().get("slackTs"));
        assertThat(buttons(slack.message(CHANNEL, posted.getAfter().get("slackTs")))).isEmpty();
    }

    @Test
    void approvalRequestIsAMessageOfItsOwnWithAnApproveButton() {
        CommandHandler handler = handler(settings(TOKEN));
        String incidentTs = handler.handle(notify("n1", OPENED)).orElseThrow().getAfter().get("slackTs");
        String held = INCIDENT + "/runbook/rollback/undo";

        ActionResult asked = handler.handle(notify(held + "/approval-request", Map.of("event", "update", "title",
                "Approval needed: rollback", "status", "investigating"))).orElseThrow();

        assertThat(asked.getAfter()).containsEntry("slackMethod", "chat.postMessage");
        assertThat(asked.getAfter().get("slackTs")).isNotEqualTo(incidentTs);
        JsonNode request = slack.calls().get(1).body();
        assertThat(buttons(request)).startsWith("runstream_approve");
        assertThat(buttonValue(request, "runstream_approve").path("actionCommandId").asText()).isEqualTo(held);
        ActionResult next = handler.handle(notify("n4", ACKNOWLEDGED)).orElseThrow();
        assertThat(next.getAfter()).as("the incident's message stays the one edited").containsEntry("slackTs",
                incidentTs);
    }

    @Test
    void slacksErrorCodeBecomesTheFailureReason() {
        slack.failNext("channel_not_found");

        ActionResult result = handler(settings(TOKEN)).handle(notify("n1", OPENED)).orElseThrow();

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.getReasonCode()).isEqualTo("channel_not_found");
    }

    @Test
    void wrongTokenFailsWithInvalidAuth() {
        ActionResult result = handler(settings("xoxb-revoked")).handle(notify("n1", OPENED)).orElseThrow();

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.getReasonCode()).isEqualTo("invalid_auth");
        assertThat(result.getMessage()).doesNotContain("xoxb-revoked");
    }

    @Test
    void rateLimitedIsRetriedWithinTheExpiry() {
        slack.failNext("ratelimited");

        ActionResult result = handler(settings(TOKEN)).handle(notify("n1", OPENED)).orElseThrow();

        assertThat(result.getOutcome()).as(result.getMessage()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(result.getAttempts()).isEqualTo(2);
    }

    @Test
    void withoutABotTokenTheIncomingWebhookStays() {
        NotifySettings webhookOnly = settings(null);

        assertThat(webhookOnly.slack().channelIdFor("ml-incidents")).isEmpty();
        ActionResult result = handler(webhookOnly).handle(notify("n1", OPENED)).orElseThrow();
        assertThat(result.getReasonCode()).as("no webhook either").isEqualTo("channel_not_configured");
        assertThat(slack.calls()).isEmpty();
    }

    private CommandHandler handler(NotifySettings settings) {
        return new CommandHandler(NotificationExecutor.all(settings, http, new SimpleMeterRegistry()),
                RemediationMode.ENFORCE, SafetyPolicy.DEFAULTS, new DoneCommands(10), Clock.systemUTC(), "worker-1",
                new SimpleMeterRegistry());
    }

    private NotifySettings settings(String botToken) {
        return new NotifySettings(new NotifySettings.Slack(null, Map.of(), botToken,
                Map.of("ml-incidents", CHANNEL), slack.baseUri().toString()),
                new NotifySettings.PagerDuty(null, null, Map.of()), new NotifySettings.Webhook(null, null),
                new NotifySettings.Ticket(null, null), Duration.ofSeconds(5), new NotifySettings.Inbox(false));
    }

    private static ActionCommand notify(String id, Map<String, String> parameters) {
        ActionCommand command = Commands.fresh(Commands.command(id, ActionType.NOTIFY, "slack", null, "ml-incidents",
                parameters));
        command.setIncidentId(INCIDENT);
        command.setCorrelationKey("ml-prod/inference-gateway");
        command.setReason("inference-gateway 5xx above 5 %");
        return command;
    }

    private static List<String> buttons(JsonNode message) {
        List<String> ids = new java.util.ArrayList<>();
        message.path("blocks").forEach(block -> {
            if (block.path("type").asText().equals("actions")) {
                block.path("elements").forEach(e -> ids.add(e.path("action_id").asText()));
            }
        });
        return ids;
    }

    private static JsonNode buttonValue(JsonNode message, String actionId) {
        for (JsonNode block : message.path("blocks")) {
            for (JsonNode element : block.path("elements")) {
                if (element.path("action_id").asText().equals(actionId)) {
                    try {
                        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(element.path("value")
                                .asText());
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        }
        throw new AssertionError("no button " + actionId);
    }
}
