package io.runstream.workers.notify;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.runstream.avro.ActionCommand;
import io.runstream.workers.ActionExecutor;
import io.runstream.workers.http.HttpCalls;

/**
 * An executor that tells people about an incident (NOTIFY, PAGE, TICKET): never a remediation, and able to read
 * and check a command's notice on its own, so a command can be delivered elsewhere ({@link InboxFallback}) with
 * exactly the checks its own channel would make.
 */
public sealed interface NotificationExecutor extends ActionExecutor
        permits NotifyExecutor, PageExecutor, TicketExecutor {

    @Override
    default boolean remediation() {
        return false;
    }

    /**
     * NOTIFY, PAGE and TICKET on the configured channels, each behind the {@link InboxFallback} when
     * {@code notifications.inbox.enabled}. Always all three: an unconfigured channel is a clear
     * {@code channel_not_configured} (or the inbox), not an unknown action.
     */
    static List<ActionExecutor> all(NotifySettings settings, HttpCalls http, MeterRegistry registry) {
        List<NotificationExecutor> channels = List.of(new NotifyExecutor(settings, http),
                new PageExecutor(settings.pagerduty(), http), new TicketExecutor(settings.ticket(), settings.jira(), http));
        return channels.stream().<ActionExecutor>map(channel -> settings.inbox().enabled()
                ? new InboxFallback(channel, registry) : channel).toList();
    }

    /**
     * The command's notice, checked as this executor checks it before sending.
     *
     * @throws io.runstream.workers.RejectedCommandException {@code malformed_parameters} naming what is wrong
     */
    Notice notice(ActionCommand command);
}
