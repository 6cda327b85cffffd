package io.runstream.workers.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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

/** Slack, PagerDuty and webhook notifications against a local receiver that checks what arrives. */
class NotificationExecutorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> OPENED = Map.of("event", "opened", "title",
            "Model Service Degradation", "severity", "P2", "service", "fraud-model", "status", "INVESTIGATING",
            "impact", "Accuracy dropped to 75% (target: 90%); Affecting all users", "actions",
            "Rolling back to v1.1.0; Will update in 15 minutes", "links",
            "https://grafana.example/d/fraud,https://runbooks.example/model-degradation");

    private final HttpCalls http = HttpCalls.create(Clock.systemUTC(), Commands.FAST_RETRIES, Duration.ofSeconds(5));
    private Receiver receiver;

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private static ActionCommand notify(String id, String kind, ActionType type, Map<String, String> parameters) {
        ActionCommand command = Commands.fresh(Commands.command(id, type, kind, null, "ml-incidents", parameters));
        command.setIncidentId("inc-fraud-accuracy-017");
        command.setReason("fraud-model accuracy below target");
        return command;
    }

    private NotifySettings settings(String slack, String webhook, String pagerduty) {
        return settings(slack, webhook, pagerduty, null);
    }

    private NotifySettings settings(String slack, String webhook, String pagerduty, String ticket) {
        return new NotifySettings(new NotifySettings.Slack(slack, Map.of()), new NotifySettings.PagerDuty(pagerduty,
                "R0UT1NGKEY0000000000000000000001", Map.of("tech-lead", "LEADKEY000000000000000000000002")),
                new NotifySettings.Webhook(webhook, "s3cret-token"), new NotifySettings.Ticket(ticket, "t1cket-token"),
                Duration.ofSeconds(5), new NotifySettings.Inbox(false));
    }

    @Test
    void slackIncidentOpenedFollowsTheRunbookTemplate() throws Exception {
        receiver = new Receiver(200, "ok");
        NotifyExecutor slack = new NotifyExecutor(settings(receiver.uri("/services/T0/B0/x").toString(), null, null),
                http);

        var execution = slack.execute(notify("n1", "slack", ActionType.NOTIFY, OPENED), false);

        assertThat(execution.outcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        Receiver.Request request = receiver.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/services/T0/B0/x");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        String text = JSON.readTree(request.body()).path("text").asText();
        assertThat(text).startsWith(":rotating_light: *INCIDENT: Model Service Degradation*")
                .contains("*Severity:* P2 (high)", "*Service:* fraud-model", "*Status:* INVESTIGATING",
                        "- Accuracy dropped to 75% (target: 90%)", "- Affecting all users",
                        "- Rolling back to v1.1.0", "<https://grafana.example/d/fraud>",
                        "_Incident inc-fraud-accuracy-017_");
    }

    @Test
    void slackResolvedMessageEscapesAlertText() throws Exception {
        receiver = new Receiver(200, "ok");
        NotifyExecutor slack = new NotifyExecutor(settings(receiver.uri("/hook").toString(), null, null), http);

        slack.execute(notify("n2", "slack", ActionType.NOTIFY, Map.of("event", "resolved", "title",
                "Model Service Degradation", "actions", "Rolled back to <!channel> v1.1.0")), false);

        String text = JSON.readTree(receiver.requests().get(0).body()).path("text").asText();
        assertThat(text).startsWith(":white_check_mark: *INCIDENT RESOLVED: Model Service Degradation*")
                .contains("*Resolution:*", "&lt;!channel&gt;").doesNotContain("<!channel>");
    }

    @Test
    void pagerDutyTriggerCarriesEveryRequiredField() throws Exception {
        receiver = new Receiver(202, "{\"status\":\"success\",\"dedup_key\":\"inc-fraud-accuracy-017\"}");
        PageExecutor pager = new PageExecutor(settings(null, null, receiver.uri("/v2/enqueue").toString())
                .pagerduty(), http);
        Map<String, String> trigger = new java.util.HashMap<>(OPENED);
        trigger.put("event", "trigger");
        trigger.put("severity", "P1");

        var execution = pager.execute(notify("p1", "pagerduty", ActionType.PAGE, trigger), false);

        assertThat(execution.outcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        JsonNode event = JSON.readTree(receiver.requests().get(0).body());
        assertThat(event.path("routing_key").asText()).hasSize(32);
        assertThat(event.path("event_action").asText()).isEqualTo("trigger");
        assertThat(event.path("dedup_key").asText()).isEqualTo("inc-fraud-accuracy-017");
        JsonNode payload = event.path("payload");
        assertThat(payload.path("summary").asText()).isNotBlank().hasSizeLessThanOrEqualTo(1024)
                .startsWith("Model Service Degradation");
        assertThat(payload.path("source").asText()).isEqualTo("fraud-model");
        assertThat(payload.path("severity").asText()).isEqualTo("critical");
        assertThat(payload.path("custom_details").path("priority").asText()).isEqualTo("P1");
        assertThat(payload.path("custom_details").path("impact")).hasSize(2);
        assertThat(event.path("links").get(0).path("href").asText()).isEqualTo("https://grafana.example/d/fraud");
    }

    @Test
    void pagerDutyMapsEachPriorityAndResolvesByDedupKey() throws Exception {
        assertThat(List.of("P1", "P2", "P3", "P4")).extracting(p -> PageExecutor.severity(
                io.runstream.avro.Severity.valueOf(p))).containsExactly("critical", "error", "warning", "info");
        receiver = new Receiver(202, "{\"status\":\"success\"}");
        PageExecutor pager = new PageExecutor(settings(null, null, receiver.uri("/v2/enqueue").toString())
                .pagerduty(), http);

        pager.execute(notify("p2", "pagerduty", ActionType.PAGE, Map.of("event", "resolve")), false);

        JsonNode event = JSON.readTree(receiver.requests().get(0).body());
        assertThat(event.path("event_action").asText()).isEqualTo("resolve");
        assertThat(event.path("dedup_key").asText()).isEqualTo("inc-fraud-accuracy-017");
        assertThat(event.has("payload")).isFalse();
    }

    @Test
    void webhookGetsJsonWithBearerTokenAndIdempotencyKey() throws Exception {
        receiver = new Receiver(204, "");
        NotifyExecutor webhook = new NotifyExecutor(settings(null, receiver.uri("/runstream").toString(), null),
                http);

        ActionCommand command = notify("w1", "webhook", ActionType.NOTIFY, OPENED);
        command.setCorrelationKey("ml-prod/fraud-model");
        webhook.execute(command, false);

        Receiver.Request request = receiver.requests().get(0);
        assertThat(request.header("Authorization")).isEqualTo("Bearer s3cret-token");
        assertThat(request.header("Idempotency-Key")).isEqualTo("w1");
        JsonNode body = JSON.readTree(request.body());
        assertThat(body.path("incidentId").asText()).isEqualTo("inc-fraud-accuracy-017");
        assertThat(body.path("correlationKey").asText()).isEqualTo("ml-prod/fraud-model");
        assertThat(body.path("severity").asText()).isEqualTo("P2");
        assertThat(body.path("links")).hasSize(2);
    }

    @Test
    void ticketGoesToTheTicketWebhookWithItsQueueAndTheIncidentAsReference() throws Exception {
        receiver = new Receiver(201, "{\"key\":\"MLP-42\"}");
        TicketExecutor tickets = new TicketExecutor(settings(null, null, null, receiver.uri("/tickets").toString())
                .ticket(), http);
        ActionCommand ticket = notify("t1", "ticket", ActionType.TICKET, OPENED);
        ticket.getTarget().setName("ml-platform");

        var execution = tickets.execute(ticket, false);

        assertThat(execution.outcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(execution.after()).containsEntry("queue", "ml-platform")
                .containsEntry("externalReference", "inc-fraud-accuracy-017");
        Receiver.Request request = receiver.requests().get(0);
        assertThat(request.path()).isEqualTo("/tickets");
        assertThat(request.header("Authorization")).isEqualTo("Bearer t1cket-token");
        assertThat(request.header("Idempotency-Key")).isEqualTo("t1");
        JsonNode body = JSON.readTree(request.body());
        assertThat(body.path("queue").asText()).isEqualTo("ml-platform");
        assertThat(body.path("incidentId").asText()).isEqualTo("inc-fraud-accuracy-017");
        assertThat(body.path("event").asText()).isEqualTo("opened");
        assertThat(body.path("severity").asText()).isEqualTo("P2");
    }

    @Test
    void ticketWithoutAWebhookOrToAnotherKindIsRejectedClearly() throws Exception {
        receiver = new Receiver(201, "{}");
        CommandHandler unconfigured = handler(settings(null, null, null, null));
        TicketExecutor tickets = new TicketExecutor(settings(null, null, null, receiver.uri("/tickets").toString())
                .ticket(), http);

        ActionResult rejected = unconfigured.handle(notify("t2", "ticket", ActionType.TICKET, OPENED)).orElseThrow();

        assertThat(rejected.getOutcome()).isEqualTo(ActionOutcome.REJECTED);
        assertThat(rejected.getReasonCode()).isEqualTo("channel_not_configured");
        assertThat(rejected.getMessage()).contains("notifications.ticket.url");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tickets.execute(
                notify("t3", "slack", ActionType.TICKET, OPENED), false))
                .isInstanceOf(io.runstream.workers.RejectedCommandException.class)
                .hasMessageContaining("kind ticket");
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void eachEscalationLevelPagesWithItsOwnRoutingKey() throws Exception {
        receiver = new Receiver(202, "{\"status\":\"success\"}");
        PageExecutor pager = new PageExecutor(settings(null, null, receiver.uri("/v2/enqueue").toString())
                .pagerduty(), http);
        ActionCommand lead = notify("p5", "pagerduty", ActionType.PAGE, Map.of("event", "trigger", "severity", "P1",
                "title", "Gateway down"));
        lead.getTarget().setName("tech-lead");

        pager.execute(lead, false);

        assertThat(JSON.readTree(receiver.requests().get(0).body()).path("routing_key").asText())
                .isEqualTo("LEADKEY000000000000000000000002");
    }

    @Test
    void slackChannelsCanHaveTheirOwnWebhooks() throws Exception {
        receiver = new Receiver(200, "ok");
        NotifySettings settings = new NotifySettings(new NotifySettings.Slack(null, Map.of("ml-ops-oncall",
                receiver.uri("/oncall").toString())), new NotifySettings.PagerDuty(null, null, Map.of()),
                new NotifySettings.Webhook(null, null), new NotifySettings.Ticket(null, null), Duration.ofSeconds(5),
                new NotifySettings.Inbox(false));
        CommandHandler handler = handler(settings);
        ActionCommand oncall = notify("n7", "slack", ActionType.NOTIFY, OPENED);
        oncall.getTarget().setName("ml-ops-oncall");

        ActionResult sent = handler.handle(oncall).orElseThrow();
        ActionResult unknown = handler.handle(notify("n8", "slack", ActionType.NOTIFY, OPENED)).orElseThrow();

        assertThat(sent.getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(receiver.requests()).extracting(Receiver.Request::path).containsExactly("/oncall");
        assertThat(unknown.getReasonCode()).isEqualTo("channel_not_configured");
        assertThat(unknown.getMessage()).contains("ml-incidents");
    }

    @Test
    void rateLimitAndServerErrorsAreRetried() throws IOException {
        receiver = new Receiver(202, "{\"status\":\"success\"}").failingFirst(429, 503);
        PageExecutor pager = new PageExecutor(settings(null, null, receiver.uri("/v2/enqueue").toString())
                .pagerduty(), http);

        var execution = pager.execute(notify("p3", "pagerduty", ActionType.PAGE, Map.of("event", "acknowledge")),
                false);

        assertThat(execution.outcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(execution.attempts()).isEqualTo(3);
        assertThat(receiver.requests()).hasSize(3);
    }

    @Test
    void connectionErrorsAreRetriedAndThenReportedAsFailed() throws IOException {
        receiver = new Receiver(200, "ok");
        String gone = receiver.uri("/hook").toString();
        receiver.close();
        NotifyExecutor slack = new NotifyExecutor(settings(gone, null, null), http);

        ActionResult result = new CommandHandler(List.of(slack), RemediationMode.ENFORCE, SafetyPolicy.DEFAULTS,
                new DoneCommands(10), Clock.systemUTC(), "worker-1", new SimpleMeterRegistry())
                .handle(notify("n6", "slack", ActionType.NOTIFY, OPENED)).orElseThrow();

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.getAttempts()).isEqualTo(Commands.FAST_RETRIES.maxAttempts());
        assertThat(result.getMessage()).contains("ConnectException").doesNotContain("/hook");
    }

    @Test
    void failuresNeverShowTheSecretUrlOrKey() throws IOException {
        receiver = new Receiver(403, "{\"message\":\"invalid token\"}");
        String secretUrl = receiver.uri("/services/T0/B0/SECRETPART").toString();
        CommandHandler handler = handler(settings(secretUrl, null, null));

        ActionResult result = handler.handle(notify("n3", "slack", ActionType.NOTIFY, OPENED)).orElseThrow();

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.getReasonCode()).isEqualTo("forbidden");
        assertThat(result.getMessage()).doesNotContain("SECRETPART");
        assertThat(settings(secretUrl, null, null).toString()).doesNotContain("SECRETPART", "R0UT1NGKEY",
                "s3cret-token");
    }

    @Test
    void notificationsAreSentEvenWhileRemediationIsOffButBadOnesAreRejected() throws IOException {
        receiver = new Receiver(200, "ok");
        CommandHandler handler = handler(settings(receiver.uri("/hook").toString(), null, null));

        ActionResult sent = handler.handle(notify("n4", "slack", ActionType.NOTIFY, OPENED)).orElseThrow();
        List<ActionResult> bad = List.of(
                notify("b1", "slack", ActionType.NOTIFY, Map.of("event", "exploded", "title", "x")),
                notify("b2", "slack", ActionType.NOTIFY, Map.of("event", "opened", "severity", "P9")),
                notify("b3", "slack", ActionType.NOTIFY, Map.of("event", "opened", "links", "javascript:alert(1)")),
                notify("b4", "slack", ActionType.NOTIFY, Map.of("event", "opened", "colour", "red")),
                notify("b5", "slack", ActionType.NOTIFY, Map.of("event", "opened", "summary", "x".repeat(70_000))),
                notify("b6", "pagerduty", ActionType.PAGE, Map.of("event", "trigger")),
                notify("b7", "sms", ActionType.NOTIFY, Map.of("event", "opened")))
                .stream().map(c -> handler.handle(c).orElseThrow()).toList();

        assertThat(sent.getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(bad).allSatisfy(r -> assertThat(r.getOutcome()).isEqualTo(ActionOutcome.REJECTED));
        assertThat(bad).extracting(ActionResult::getReasonCode).containsExactly("malformed_parameters",
                "malformed_parameters", "malformed_parameters", "malformed_parameters", "malformed_parameters",
                "channel_not_configured", "unsupported_kind");
        assertThat(receiver.requests()).hasSize(1);
    }

    @Test
    void aDryRunNotificationSendsNothing() throws IOException {
        receiver = new Receiver(200, "ok");
        CommandHandler handler = handler(settings(receiver.uri("/hook").toString(), null, null));
        ActionCommand dry = notify("n5", "slack", ActionType.NOTIFY, OPENED);
        dry.setMode(io.runstream.avro.ActionMode.DRY_RUN);

        ActionResult result = handler.handle(dry).orElseThrow();

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.DRY_RUN);
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void aRejectedPagerDutyEventIsAFailureWithoutRetries() throws IOException {
        receiver = new Receiver(400, "{\"status\":\"invalid event\",\"errors\":[\"'routing_key' is invalid\"]}");
        PageExecutor pager = new PageExecutor(settings(null, null, receiver.uri("/v2/enqueue").toString())
                .pagerduty(), http);

        ActionResult result = new CommandHandler(List.of(pager), RemediationMode.ENFORCE, SafetyPolicy.DEFAULTS,
                new DoneCommands(10), Clock.systemUTC(), "worker-1", new SimpleMeterRegistry())
                .handle(notify("p4", "pagerduty", ActionType.PAGE, Map.of("event", "resolve"))).orElseThrow();

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.getReasonCode()).isEqualTo("http_error");
        assertThat(result.getMessage()).contains("HTTP 400", "routing_key' is invalid").doesNotContain("R0UT1NGKEY");
        assertThat(receiver.requests()).hasSize(1);
    }

    private CommandHandler handler(NotifySettings settings) {
        return new CommandHandler(List.of(new NotifyExecutor(settings, http), new PageExecutor(
                new NotifySettings.PagerDuty(null, null, Map.of()), http), new TicketExecutor(settings.ticket(), http)), RemediationMode.OFF, SafetyPolicy.DEFAULTS,
                new DoneCommands(100), Clock.systemUTC(), "worker-1", new SimpleMeterRegistry());
    }
}
