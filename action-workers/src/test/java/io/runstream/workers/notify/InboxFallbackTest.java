package io.runstream.workers.notify;

import static io.runstream.workers.notify.StatusUpdates.command;
import static io.runstream.workers.notify.StatusUpdates.initialNotification;
import static io.runstream.workers.notify.StatusUpdates.resolutionNotification;
import static io.runstream.workers.notify.StatusUpdates.settings;
import static io.runstream.workers.notify.StatusUpdates.with;
import static io.runstream.workers.notify.StatusUpdates.withInbox;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionMode;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionType;
import io.runstream.workers.CommandHandler;
import io.runstream.workers.Commands;
import io.runstream.workers.DoneCommands;
import io.runstream.workers.RemediationMode;
import io.runstream.workers.SafetyPolicy;
import io.runstream.workers.http.HttpCalls;

/**
 * The local inbox (issue 16): with {@code notifications.inbox.enabled}, a notification to a channel that is not
 * configured is delivered into the result instead of refused, so a newcomer without Slack or PagerDuty still sees
 * what runbook 003's Communication section would have said.
 */
class InboxFallbackTest {

    private final HttpCalls http = HttpCalls.create(Clock.systemUTC(), Commands.FAST_RETRIES, Duration.ofSeconds(5));
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    private CommandHandler workers(NotifySettings settings) {
        return new CommandHandler(NotificationExecutor.all(settings, http, metrics), RemediationMode.DRY_RUN,
                SafetyPolicy.DEFAULTS, new DoneCommands(100), Clock.systemUTC(), "worker-1", metrics);
    }

    private double inboxed(ActionType type) {
        return metrics.get("runstream_notifications_inbox_total").tag("type", type.name()).counter().count();
    }

    private static final NotifySettings NOTHING_CONFIGURED = withInbox(settings(null, null, null, null));

    @Test
    void aPageWithoutARoutingKeyIsDeliveredToTheInbox() {
        ActionResult result = workers(NOTHING_CONFIGURED).handle(command("p1", ActionType.PAGE, "pagerduty",
                "on-call", with(initialNotification(), "event", "trigger"))).orElseThrow();

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(result.getReasonCode()).isNull();
        assertThat(result.getMessage()).isEqualTo("delivered to the local inbox: no PagerDuty routing key is"
                + " configured for on-call (notifications.pagerduty)");
        assertThat(result.getAfter()).containsOnlyKeys("delivery", "channel", "event", "text")
                .containsEntry("delivery", "inbox")
                .containsEntry("channel", "pagerduty/on-call")
                .containsEntry("event", "trigger")
                .containsEntry("text", "INCIDENT: High Error Rate - Inference Gateway. Severity: P1 (critical)."
                        + " Service: inference-gateway. Status: Investigating. Started: 2026-12-06 14:23 UTC."
                        + " Incident commander: alice. Next update: 2026-12-06 14:33 UTC."
                        + " Impact: Error Rate: 12% (target: <0.5%). Dashboard: " + StatusUpdates.DASHBOARD + "."
                        + " Incident inc-gateway-5xx-001.");
        assertThat(inboxed(ActionType.PAGE)).isEqualTo(1.0);
    }

    @Test
    void slackAndTicketWithoutAnEndpointAreDeliveredToTheInboxUnderTheirChannel() {
        CommandHandler workers = workers(NOTHING_CONFIGURED);

        ActionResult slack = workers.handle(command("n1", ActionType.NOTIFY, "slack", "ml-incidents",
                resolutionNotification())).orElseThrow();
        ActionResult ticket = workers.handle(command("t1", ActionType.TICKET, "ticket", "ml-platform",
                resolutionNotification())).orElseThrow();

        assertThat(List.of(slack, ticket)).extracting(ActionResult::getOutcome)
                .containsOnly(ActionOutcome.SUCCEEDED);
        assertThat(slack.getAfter()).containsEntry("channel", "slack/ml-incidents").containsEntry("event",
                "resolved");
        assertThat(slack.getAfter().get("text")).startsWith("INCIDENT RESOLVED: High Error Rate - Inference Gateway.")
                .contains("Duration: 22 minutes.", "Resolved by: recovery.", "Resolution: Rollback to v1.2.2.");
        assertThat(slack.getMessage()).startsWith("delivered to the local inbox: no slack endpoint is configured for"
                + " ml-incidents");
        assertThat(ticket.getAfter()).containsEntry("channel", "ticket/ml-platform");
        assertThat(inboxed(ActionType.NOTIFY)).isEqualTo(1.0);
        assertThat(inboxed(ActionType.TICKET)).isEqualTo(1.0);
    }

    @Test
    void withTheInboxDisabledAnUnconfiguredChannelIsStillRejected() {
        ActionResult result = workers(settings(null, null, null, null)).handle(command("p1", ActionType.PAGE,
                "pagerduty", "on-call", with(initialNotification(), "event", "trigger"))).orElseThrow();

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.REJECTED);
        assertThat(result.getReasonCode()).isEqualTo("channel_not_configured");
        assertThat(result.getAfter()).isEmpty();
    }

    @Test
    void aConfiguredChannelIsUsedAndTheInboxLeftOut() throws IOException {
        try (Receiver slack = new Receiver(200, "ok")) {
            ActionResult result = workers(withInbox(settings(slack.uri("/hook").toString(), null, null, null)))
                    .handle(command("n1", ActionType.NOTIFY, "slack", "ml-incidents", initialNotification()))
                    .orElseThrow();

            assertThat(result.getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
            assertThat(result.getAfter()).doesNotContainKey("delivery");
            assertThat(slack.requests()).hasSize(1);
        }
        assertThat(inboxed(ActionType.NOTIFY)).isZero();
    }

    @Test
    void malformedCommandsAreStillRefusedAsMalformedNotDeliveredToTheInbox() {
        CommandHandler workers = workers(NOTHING_CONFIGURED);

        List<ActionResult> refused = List.of(
                command("b1", ActionType.PAGE, "pagerduty", "on-call", Map.of("event", "trigger")),
                command("b2", ActionType.NOTIFY, "slack", "ml-incidents", with(initialNotification(), "startedAt",
                        "yesterday")),
                command("b3", ActionType.TICKET, "ticket", "ml-platform", with(initialNotification(), "eta", "5m")),
                command("b4", ActionType.NOTIFY, "sms", "oncall", initialNotification()))
                .stream().map(c -> workers.handle(c).orElseThrow()).toList();

        assertThat(refused).extracting(ActionResult::getOutcome).containsOnly(ActionOutcome.REJECTED);
        assertThat(refused).extracting(ActionResult::getReasonCode).containsExactly("malformed_parameters",
                "malformed_parameters", "malformed_parameters", "unsupported_kind");
        assertThat(metrics.get("runstream_notifications_inbox_total").counters())
                .allSatisfy(counter -> assertThat(counter.count()).isZero());
    }

    @Test
    void aDryRunSaysWhatWouldGoToTheInboxAndDeliversNothing() {
        ActionCommand dry = command("n5", ActionType.NOTIFY, "slack", "ml-incidents", initialNotification());
        dry.setMode(ActionMode.DRY_RUN);

        ActionResult result = workers(NOTHING_CONFIGURED).handle(dry).orElseThrow();

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.DRY_RUN);
        assertThat(result.getMessage()).startsWith("would deliver to the local inbox: no slack endpoint");
        assertThat(result.getAfter()).containsOnlyKeys("delivery", "channel", "event", "text")
                .containsEntry("delivery", "inbox");
        assertThat(inboxed(ActionType.NOTIFY)).isZero();
    }

    @Test
    void theInboxTextIsOneParagraphOfAtMostTwoThousandCharacters() {
        ActionResult result = workers(NOTHING_CONFIGURED).handle(command("n6", ActionType.NOTIFY, "slack",
                "ml-incidents", with(initialNotification(), "summary", "Traceback line\n".repeat(1_000),
                        "actions", "restart gateway;".repeat(900)))).orElseThrow();

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(result.getAfter().get("text")).hasSizeLessThanOrEqualTo(2_000).doesNotContain("\n")
                .startsWith("INCIDENT: High Error Rate - Inference Gateway. Severity: P1 (critical).");
    }
}
