package io.runstream.workers.notify;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import io.runstream.avro.ActionCommand;
import io.runstream.workers.Execution;
import io.runstream.workers.ExecutionFailure;
import io.runstream.workers.RejectedCommandException;
import io.runstream.workers.RetryPolicy;

/**
 * NOTIFY to kind {@code email}: the notice as a plain-text mail (and, when configured, an HTML alternative) to the
 * recipient list the target names, through SMTP. Mail clients thread an incident's mails: the opening one has the
 * Message-ID {@code <incident id.opened@domain>}, each later one its own id with In-Reply-To and References pointing
 * at the first, so no state is needed to thread after a restart. Connection errors and timeouts are retried with
 * backoff while the command has not expired; a refused login or refused recipients are not.
 */
final class EmailChannel implements NoticeChannel {

    private final EmailSettings settings;
    private final Clock clock;
    private final RetryPolicy retry;
    private final Session session;

    EmailChannel(EmailSettings settings, Duration timeout, Clock clock, RetryPolicy retry) {
        this.settings = settings;
        this.clock = clock;
        this.retry = retry;
        this.session = Session.getInstance(properties(settings, timeout));
    }

    @Override
    public String kind() {
        return "email";
    }

    @Override
    public Execution deliver(ActionCommand command, Notice notice, boolean dryRun) {
        String name = command.getTarget().getName();
        Optional<String> list = settings.enabled() ? settings.recipientsFor(name) : Optional.empty();
        if (list.isEmpty()) {
            throw new RejectedCommandException("channel_not_configured", "no email recipients are configured for "
                    + name + " (notifications.email.recipients." + name + ")");
        }
        List<InternetAddress> to = EmailSettings.addresses("notifications.email.recipients." + name, list.get());
        String channel = "email " + name;
        String subject = subject(notice);
        Map<String, String> after = Map.of("channel", "email/" + name, "subject", subject, "recipients",
                String.valueOf(to.size()), "messageId", messageId(command, notice));
        if (dryRun) {
            return Execution.dryRun("would mail " + notice.event() + " to " + channel, Map.of(), after);
        }
        MimeMessage message = message(command, notice, to, subject);
        int attempts = send(command, channel, message);
        return Execution.succeeded("mailed " + notice.event() + " to " + channel + " (" + to.size() + " recipients)",
                Map.of(), after).withAttempts(attempts);
    }

    private int send(ActionCommand command, String channel, MimeMessage message) {
        Duration backoff = retry.firstBackoff();
        for (int tries = 1;; tries++) {
            String problem;
            try {
                if (ChannelSettings.set(settings.username())) {
                    Transport.send(message, settings.username(), settings.password());
                } else {
                    Transport.send(message);
                }
                return tries;
            } catch (AuthenticationFailedException e) {
                throw new ExecutionFailure("forbidden", channel + ": the SMTP server refused the login of "
                        + settings.username(), tries);
            } catch (SendFailedException e) {
                throw new ExecutionFailure("recipients_refused", channel + ": the SMTP server refused the message: "
                        + e.getMessage(), tries);
            } catch (MessagingException e) {
                problem = describe(e);
            }
            if (tries >= retry.maxAttempts()) {
                throw new ExecutionFailure("smtp_error", channel + " failed " + tries + " times, last: " + problem,
                        tries);
            }
            if (clock.instant().plus(backoff).isAfter(command.getExpiresAt())) {
                throw new ExecutionFailure("smtp_error", "retrying " + channel + " would pass the command's expiry "
                        + command.getExpiresAt() + "; last: " + problem, tries);
            }
            if (!retry.pause(backoff)) {
                throw new ExecutionFailure("interrupted", "stopped while retrying " + channel, tries);
            }
            backoff = retry.next(backoff);
        }
    }

    private static String describe(MessagingException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private MimeMessage message(ActionCommand command, Notice notice, List<InternetAddress> to, String subject) {
        String id = messageId(command, notice);
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", id);
            }
        };
        try {
            message.setFrom(EmailSettings.address("notifications.email.from", settings.from()));
            message.setRecipients(Message.RecipientType.TO, to.toArray(InternetAddress[]::new));
            message.setSubject(subject, StandardCharsets.UTF_8.name());
            message.setSentDate(Date.from(clock.instant()));
            if (!notice.event().equals("opened")) {
                message.setHeader("In-Reply-To", threadId(command));
                message.setHeader("References", threadId(command));
            }
            message.setHeader("X-Runstream-Incident", command.getIncidentId());
            String text = EmailText.plain(notice);
            if (settings.html()) {
                MimeBodyPart plain = new MimeBodyPart();
                plain.setText(text, StandardCharsets.UTF_8.name());
                MimeBodyPart html = new MimeBodyPart();
                html.setText(EmailText.html(notice), StandardCharsets.UTF_8.name(), "html");
                message.setContent(new MimeMultipart("alternative", plain, html));
            } else {
                message.setText(text, StandardCharsets.UTF_8.name());
            }
            return message;
        } catch (MessagingException e) {
            throw new ExecutionFailure("smtp_error", "could not build the mail: " + e.getMessage(), 1);
        }
    }

    /** [P1] INCIDENT: Model Service Degradation, the runbooks' headline with the severity first. */
    static String subject(Notice notice) {
        return (notice.severity() == null ? "" : "[" + notice.severity() + "] ") + NoticeFormat.headline(
                notice.event()) + ": " + notice.title();
    }

    private String messageId(ActionCommand command, Notice notice) {
        return notice.event().equals("opened") ? threadId(command)
                : "<" + safe(command.getCommandId()) + "@" + domain() + ">";
    }

    private String threadId(ActionCommand command) {
        return "<" + safe(command.getIncidentId()) + ".opened@" + domain() + ">";
    }

    private String domain() {
        String address = EmailSettings.address("notifications.email.from", settings.from()).getAddress();
        return address.substring(address.indexOf('@') + 1);
    }

    private static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]", "-");
    }

    private static Properties properties(EmailSettings settings, Duration timeout) {
        Properties properties = new Properties();
        if (settings.enabled()) {
            String millis = String.valueOf(timeout.toMillis());
            properties.put("mail.smtp.host", settings.host());
            properties.put("mail.smtp.port", String.valueOf(settings.port()));
            properties.put("mail.smtp.auth", String.valueOf(ChannelSettings.set(settings.username())));
            properties.put("mail.smtp.starttls.enable", String.valueOf(settings.startTls()));
            properties.put("mail.smtp.starttls.required", String.valueOf(settings.startTls()));
            properties.put("mail.smtp.ssl.enable", String.valueOf(settings.ssl()));
            properties.put("mail.smtp.ssl.checkserveridentity", "true");
            properties.put("mail.smtp.connectiontimeout", millis);
            properties.put("mail.smtp.timeout", millis);
            properties.put("mail.smtp.writetimeout", millis);
        }
        return properties;
    }
}
