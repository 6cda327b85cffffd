package io.runstream.workers.notify;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * The SMTP server NOTIFY to kind {@code email} sends through, and the recipient lists a target names
 * ({@code email/ml-team}, {@code email/customers}). Off while {@code host} is empty.
 *
 * @param host the SMTP server
 * @param port its port: 587 for submission with STARTTLS, 25, or 465 with {@code ssl}
 * @param startTls whether STARTTLS is required before anything else is sent
 * @param ssl whether the connection is TLS from the start (SMTPS, port 465)
 * @param username the account, when the server asks for authentication
 * @param password its password (a secret)
 * @param from the sender, e.g. "Runstream <incidents@example.com>"
 * @param recipients comma-separated addresses by list name; a list the target names but that is missing is refused
 *        as {@code channel_not_configured}
 * @param html whether messages carry an HTML alternative besides the plain text
 */
public record EmailSettings(String host, Integer port, boolean startTls, boolean ssl, String username,
        String password, String from, Map<String, String> recipients, boolean html) {

    public static final EmailSettings OFF = new EmailSettings(null, null, false, false, null, null, null, null,
            false);

    public EmailSettings {
        recipients = recipients == null ? Map.of() : Map.copyOf(recipients);
        port = port == null ? 587 : port;
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("notifications.email.port must be 1..65535, was " + port);
        }
        if (ChannelSettings.set(host)) {
            ChannelSettings.require("notifications.email.from", from, "when notifications.email.host is");
            address("notifications.email.from", from);
            recipients.forEach((name, list) -> addresses("notifications.email.recipients." + name, list));
        }
    }

    public boolean enabled() {
        return ChannelSettings.set(host);
    }

    Optional<String> recipientsFor(String name) {
        return NotifySettings.forName(recipients, name, null);
    }

    static InternetAddress address(String key, String value) {
        try {
            return new InternetAddress(value, true);
        } catch (AddressException e) {
            throw new IllegalArgumentException(key + " must be an email address, was '" + value + "'");
        }
    }

    static List<InternetAddress> addresses(String key, String list) {
        try {
            List<InternetAddress> parsed = List.of(InternetAddress.parse(list == null ? "" : list, true));
            if (parsed.isEmpty()) {
                throw new IllegalArgumentException(key + " must list at least one email address");
            }
            return parsed;
        } catch (AddressException e) {
            throw new IllegalArgumentException(key + " must be comma-separated email addresses, was '" + list + "'");
        }
    }

    @Override
    public String toString() {
        return "Email[host=" + host + ", port=" + port + ", startTls=" + startTls + ", ssl=" + ssl + ", username="
                + username + ", password=" + ChannelSettings.redacted(password) + ", from=" + from + ", recipients="
                + recipients.keySet() + ", html=" + html + "]";
    }
}
