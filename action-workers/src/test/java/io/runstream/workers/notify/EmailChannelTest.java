package io.runstream.workers.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionType;
import io.runstream.workers.CommandHandler;
import io.runstream.workers.Commands;
import io.runstream.workers.DoneCommands;
import io.runstream.workers.RemediationMode;
import io.runstream.workers.RetryPolicy;
import io.runstream.workers.SafetyPolicy;
import io.runstream.workers.http.HttpCalls;

/** NOTIFY to kind email through a real SMTP server (GreenMail) started on a free port of 127.0.0.1. */
class EmailChannelTest {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", "smtp"))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("runstream@example.com", "runstream",
                    "smtp-s3cret"));

    private static final Map<String, String> OPENED = Map.of("event", "opened", "title",
            "Model Service Degradation", "severity", "P1", "service", "fraud-model", "status", "INVESTIGATING",
            "startedAt", "2026-12-06T14:23:00Z", "impact", "Accuracy dropped to 75% (target: 90%); Affecting all users",
            "actions", "Rolling back to v1.1.0", "dashboard", "https://runstream.example/incidents/inc-fraud-accuracy-017");

    private static ActionCommand email(String id, String list, Map<String, String> parameters) {
        ActionCommand command = Commands.fresh(Commands.command(id, ActionType.NOTIFY, "email", null, list,
                parameters));
        command.setIncidentId("inc-fraud-accuracy-017");
        return command;
    }

    private static EmailSettings settings(int port, String password, boolean html) {
        return new EmailSettings("127.0.0.1", port, false, false, "runstream", password,
                "Runstream <runstream@example.com>", Map.of("ml-team", "ml-team@example.com, oncall@example.com",
                        "customers", "customer-notices@example.com"), html);
    }

    private static CommandHandler handler(EmailSettings email, RetryPolicy retry) {
        NotifySettings settings = new NotifySettings(new NotifySettings.Slack(null, Map.of()),
                new NotifySettings.PagerDuty(null, null, Map.of()), new NotifySettings.Webhook(null, null),
                new NotifySettings.Ticket(null, null), Duration.ofSeconds(2), new NotifySettings.Inbox(false), null,
                email, null);
        HttpCalls http = HttpCalls.create(Clock.systemUTC(), retry, Duration.ofSeconds(2));
        return new CommandHandler(NotificationExecutor.all(settings, http, new SimpleMeterRegistry()),
                RemediationMode.ENFORCE, SafetyPolicy.DEFAULTS, new DoneCommands(100), Clock.systemUTC(), "worker-1",
                new SimpleMeterRegistry());
    }

    private static int smtpPort() {
        return SMTP.getSmtp().getPort();
    }

    @Test
    void mailsOpenedUpdateAndResolvedThreadedUnderTheFirstMessage() throws Exception {
        CommandHandler handler = handler(settings(smtpPort(), "smtp-s3cret", false), Commands.FAST_RETRIES);

        ActionResult opened = handler.handle(email("e1", "ml-team", OPENED)).orElseThrow();
        ActionResult update = handler.handle(email("e2", "ml-team", Map.of("event", "update", "title",
                "Model Service Degradation", "severity", "P1", "status", "MITIGATING", "nextUpdateAt",
                "2026-12-06T14:55:00Z"))).orElseThrow();
        ActionResult resolved = handler.handle(email("e3", "ml-team", Map.of("event", "resolved", "title",
                "Model Service Degradation", "severity", "P1", "duration", "PT22M", "resolvedBy",
                "rollback to v1.1.0"))).orElseThrow();

        assertThat(List.of(opened, update, resolved)).extracting(ActionResult::getOutcome)
                .containsOnly(ActionOutcome.SUCCEEDED);
        assertThat(SMTP.waitForIncomingEmail(5_000, 6)).isTrue();
        // one copy per recipient arrives; each mail once, in order of sending
        List<MimeMessage> toTeam = distinct(SMTP.getReceivedMessages());
        assertThat(toTeam).hasSize(3);
        MimeMessage first = toTeam.get(0);
        assertThat(first.getSubject()).isEqualTo("[P1] INCIDENT: Model Service Degradation");
        assertThat(first.getFrom()[0].toString()).contains("runstream@example.com");
        assertThat(first.getRecipients(Message.RecipientType.TO)).extracting(Object::toString)
                .containsExactly("ml-team@example.com", "oncall@example.com");
        String thread = "<inc-fraud-accuracy-017.opened@example.com>";
        assertThat(first.getMessageID()).isEqualTo(thread);
        assertThat(opened.getAfter()).containsEntry("messageId", thread).containsEntry("recipients", "2");
        // SMTP carries lines ending in CRLF
        String body = ((String) first.getContent()).replace("\r\n", "\n");
        assertThat(body).startsWith("INCIDENT: Model Service Degradation")
                .contains("Severity: P1 (critical)", "Started: 2026-12-06 14:23 UTC", "Impact:\n- Accuracy dropped",
                        "Actions taken:\n- Rolling back to v1.1.0",
                        "Dashboard: https://runstream.example/incidents/inc-fraud-accuracy-017");
        for (MimeMessage later : toTeam.subList(1, 3)) {
            assertThat(later.getHeader("In-Reply-To", null)).isEqualTo(thread);
            assertThat(later.getHeader("References", null)).isEqualTo(thread);
            assertThat(later.getMessageID()).isNotEqualTo(thread);
        }
        assertThat(toTeam.get(1).getSubject()).isEqualTo("[P1] INCIDENT UPDATE: Model Service Degradation");
        assertThat((String) toTeam.get(1).getContent()).contains("Next update: 2026-12-06 14:55 UTC");
        assertThat(toTeam.get(2).getSubject()).isEqualTo("[P1] INCIDENT RESOLVED: Model Service Degradation");
        assertThat((String) toTeam.get(2).getContent()).contains("Duration: 22 minutes",
                "Resolved by: rollback to v1.1.0");
    }

    @Test
    void theP1CustomerNoticeIsTheCustomersListWithAnHtmlAlternative() throws Exception {
        ActionResult sent = handler(settings(smtpPort(), "smtp-s3cret", true), Commands.FAST_RETRIES)
                .handle(email("e4", "customers", OPENED)).orElseThrow();

        assertThat(sent.getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(SMTP.waitForIncomingEmail(5_000, 1)).isTrue();
        MimeMessage notice = SMTP.getReceivedMessagesForDomain("customer-notices@example.com")[0];
        MimeMultipart parts = (MimeMultipart) notice.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
        assertThat((String) parts.getBodyPart(1).getContent()).contains("<h2>INCIDENT: Model Service Degradation</h2>",
                "<li>Accuracy dropped to 75% (target: 90%)</li>");
    }

    @Test
    void aRefusedLoginFailsAsForbiddenWithoutRetrying() {
        ActionResult result = handler(settings(smtpPort(), "wrong-password", false), Commands.FAST_RETRIES)
                .handle(email("e5", "ml-team", OPENED)).orElseThrow();

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.getReasonCode()).isEqualTo("forbidden");
        assertThat(result.getAttempts()).isEqualTo(1);
        assertThat(result.getMessage()).contains("refused the login of runstream").doesNotContain("wrong-password");
    }

    @Test
    void anUnreachableServerIsRetriedThenFails() throws IOException {
        ActionResult result = handler(settings(closedPort(), "smtp-s3cret", false), Commands.FAST_RETRIES)
                .handle(email("e6", "ml-team", OPENED)).orElseThrow();

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.getReasonCode()).isEqualTo("smtp_error");
        assertThat(result.getAttempts()).isEqualTo(Commands.FAST_RETRIES.maxAttempts());
        assertThat(result.getMessage()).contains("email ml-team failed 4 times", "ConnectException");
    }

    @Test
    void anUnreachableServerIsRetriedOnlyUntilTheCommandExpires() throws IOException {
        ActionCommand soonExpired = email("e7", "ml-team", OPENED);
        soonExpired.setExpiresAt(Instant.now().plusMillis(300));
        RetryPolicy slow = new RetryPolicy(10, Duration.ofSeconds(5), Duration.ofSeconds(10));

        ActionResult result = handler(settings(closedPort(), "smtp-s3cret", false), slow).handle(soonExpired)
                .orElseThrow();

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.getReasonCode()).isEqualTo("smtp_error");
        assertThat(result.getAttempts()).isEqualTo(1);
        assertThat(result.getMessage()).contains("would pass the command's expiry", "ConnectException");
    }

    @Test
    void malformedParametersAndUnknownListsAreRejected() {
        CommandHandler handler = handler(settings(smtpPort(), "smtp-s3cret", false), Commands.FAST_RETRIES);

        ActionResult malformed = handler.handle(email("e8", "ml-team", Map.of("event", "opened", "startedAt",
                "yesterday"))).orElseThrow();
        ActionResult unknown = handler.handle(email("e9", "finance", OPENED)).orElseThrow();
        ActionResult off = handler(EmailSettings.OFF, Commands.FAST_RETRIES).handle(email("e10", "ml-team", OPENED))
                .orElseThrow();

        assertThat(malformed.getReasonCode()).isEqualTo("malformed_parameters");
        assertThat(unknown.getReasonCode()).isEqualTo("channel_not_configured");
        assertThat(unknown.getMessage()).contains("notifications.email.recipients.finance");
        assertThat(off.getReasonCode()).isEqualTo("channel_not_configured");
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void settingsAreCheckedAtStart() {
        assertThatThrownBy(() -> new EmailSettings("smtp.example.com", 587, true, false, null, null, null, null,
                false)).hasMessageContaining("notifications.email.from must be set");
        assertThatThrownBy(() -> new EmailSettings("smtp.example.com", 587, true, false, null, null, "not an address",
                null, false)).hasMessageContaining("notifications.email.from must be an email address");
        assertThatThrownBy(() -> new EmailSettings("smtp.example.com", 70_000, true, false, null, null,
                "incidents@example.com", null, false)).hasMessageContaining("notifications.email.port must be 1..65535");
        assertThatThrownBy(() -> new EmailSettings("smtp.example.com", 587, true, false, null, null,
                "incidents@example.com", Map.of("customers", "a@@b"), false))
                .hasMessageContaining("notifications.email.recipients.customers must be comma-separated email");
    }

    private static List<MimeMessage> distinct(MimeMessage[] received) throws Exception {
        Map<String, MimeMessage> byId = new java.util.LinkedHashMap<>();
        for (MimeMessage message : received) {
            byId.putIfAbsent(message.getMessageID(), message);
        }
        return List.copyOf(byId.values());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
