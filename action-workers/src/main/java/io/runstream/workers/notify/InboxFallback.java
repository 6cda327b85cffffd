package io.runstream.workers.notify;

import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionType;
import io.runstream.workers.ActionExecutor;
import io.runstream.workers.Execution;
import io.runstream.workers.RejectedCommandException;

/**
 * Delivers a notification whose channel is not configured to the local inbox instead of refusing it, so someone
 * trying Runstream without Slack or PagerDuty still sees what would have been said: the result SUCCEEDS and its
 * {@code after} holds exactly {@code delivery=inbox}, {@code channel=<kind>/<name>}, {@code event} and
 * {@code text} (the notice as one plain-text paragraph of at most {@value #MAX_TEXT} characters), which the
 * incident's timeline and the dashboard show. Only {@code channel_not_configured} is replaced: a command its
 * channel would refuse as malformed or of the wrong kind is still refused. A dry run delivers nothing.
 */
public final class InboxFallback implements ActionExecutor {

    static final int MAX_TEXT = 2_000;
    private static final String NOT_CONFIGURED = "channel_not_configured";

    private final NotificationExecutor channel;
    private final Counter delivered;

    /** @param registry where {@code runstream_notifications_inbox_total{type}} counts deliveries to the inbox */
    public InboxFallback(NotificationExecutor channel, MeterRegistry registry) {
        this.channel = channel;
        this.delivered = Counter.builder("runstream_notifications_inbox_total")
                .description("Notifications delivered to the local inbox because their channel is not configured")
                .tag("type", channel.type().name())
                .register(registry);
    }

    @Override
    public ActionType type() {
        return channel.type();
    }

    @Override
    public boolean remediation() {
        return false;
    }

    @Override
    public void remember(io.runstream.avro.ActionResult earlier) {
        channel.remember(earlier);
    }

    @Override
    public Execution execute(ActionCommand command, boolean dryRun) {
        try {
            return channel.execute(command, dryRun);
        } catch (RejectedCommandException e) {
            if (!e.reasonCode().equals(NOT_CONFIGURED)) {
                throw e;
            }
            return deliver(command, dryRun, e.getMessage());
        }
    }

    private Execution deliver(ActionCommand command, boolean dryRun, String why) {
        Notice notice = channel.notice(command);
        Map<String, String> after = Map.of(
                "delivery", "inbox",
                "channel", command.getTarget().getKind() + "/" + command.getTarget().getName(),
                "event", notice.event(),
                "text", NoticeFormat.paragraph(notice, MAX_TEXT));
        if (dryRun) {
            return Execution.dryRun("would deliver to the local inbox: " + why, Map.of(), after);
        }
        delivered.increment();
        return Execution.succeeded("delivered to the local inbox: " + why, Map.of(), after);
    }
}
