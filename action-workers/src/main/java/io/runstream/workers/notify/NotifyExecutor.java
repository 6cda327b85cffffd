package io.runstream.workers.notify;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionType;
import io.runstream.workers.Execution;
import io.runstream.workers.RejectedCommandException;
import io.runstream.workers.http.HttpCalls;
import io.runstream.workers.notify.slack.SlackAppNotifier;
import io.runstream.workers.notify.slack.SlackThreads;
import io.runstream.workers.notify.slack.SlackWebApi;

/**
 * NOTIFY: posts an incident message to Slack (target kind {@code slack}): through the Slack app when a bot token and
 * the channel's id are configured ({@link SlackAppNotifier}: one message per incident, edited, with buttons), else
 * to the incoming webhook; or to the generic
 * JSON webhook (kind {@code webhook}). A message cannot be taken back or checked for on the receiver, so a crash
 * between sending and the result can repeat it; the webhook gets the command id as Idempotency-Key to dedupe.
 * Kinds {@code statuspage} and {@code email} go to {@link StatusPageChannel} and {@link EmailChannel}; kind
 * {@code jira} (the close-out's {@code resolved}) to {@link JiraChannel}, as TICKET does.
 */
public final class NotifyExecutor implements NotificationExecutor {

    static final Set<String> EVENTS = Set.of("opened", "update", "resolved");

    private final NotifySettings settings;
    private final HttpCalls http;
    // kinds beyond slack and webhook: statuspage, email, and jira, because the close-out sends NOTIFY resolved to
    // every channel an episode reached whose kind is not pagerduty or ticket
    private final Map<String, NoticeChannel> channels;
    private final SlackAppNotifier slackApp;

    public NotifyExecutor(NotifySettings settings, HttpCalls http) {
        this.settings = settings;
        this.http = http;
        this.channels = Map.of("statuspage", new StatusPageChannel(settings.statuspage(), http),
                "email", new EmailChannel(settings.email(), settings.requestTimeout(), http.clock(), http.retry()),
                "jira", new JiraChannel(settings.jira(), http));
        this.slackApp = settings.slack().appEnabled() ? new SlackAppNotifier(new SlackWebApi(
                URI.create(settings.slack().apiUrl()), settings.slack().botToken(), http), new SlackThreads(100_000))
                : null;
    }

    @Override
    public ActionType type() {
        return ActionType.NOTIFY;
    }

    @Override
    public Notice notice(ActionCommand command) {
        return Notice.from(command, EVENTS);
    }

    @Override
    public Execution execute(ActionCommand command, boolean dryRun) {
        String kind = command.getTarget().getKind();
        if (channels.containsKey(kind)) {
            return channels.get(kind).deliver(command, notice(command), dryRun);
        }
        if (!kind.equals("slack") && !kind.equals("webhook")) {
            throw new RejectedCommandException("unsupported_kind", "NOTIFY goes to kind slack, webhook, statuspage,"
                    + " email or jira, not " + kind);
        }
        String name = command.getTarget().getName();
        Optional<String> appChannel = slackApp == null || !kind.equals("slack") ? Optional.empty()
                : settings.slack().channelIdFor(name);
        if (appChannel.isPresent()) {
            return slackApp.execute(command, notice(command), appChannel.get(), dryRun);
        }
        Optional<String> endpoint = kind.equals("slack") ? settings.slack().webhookFor(name)
                : Optional.ofNullable(settings.webhook().url()).filter(url -> settings.webhook().enabled());
        if (endpoint.isEmpty()) {
            throw new RejectedCommandException("channel_not_configured", "no " + kind + " endpoint is configured"
                    + " for " + name + " (notifications." + kind + ")");
        }
        Notice notice = notice(command);
        String channel = kind + " " + command.getTarget().getName();
        Map<String, String> after = Map.of("message", notice.event() + ": " + notice.title(), "channel", channel);
        if (dryRun) {
            return Execution.dryRun("would send " + notice.event() + " to " + channel, Map.of(), after);
        }
        HttpRequest.Builder request = kind.equals("slack") ? slack(endpoint.get(), notice)
                : webhook(endpoint.get(), command, notice);
        HttpCalls.Reply reply = http.send(command, channel, request);
        return Execution.succeeded("sent " + notice.event() + " to " + channel, Map.of(), after)
                .withAttempts(reply.attempts());
    }

    @Override
    public void remember(ActionResult earlier) {
        if (slackApp != null) {
            slackApp.remember(earlier);
        }
    }

    private static HttpRequest.Builder slack(String webhookUrl, Notice notice) {
        return HttpRequest.newBuilder(URI.create(webhookUrl))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(SlackMessage.body(notice).toString()));
    }

    private HttpRequest.Builder webhook(String url, ActionCommand command, Notice notice) {
        return IncidentJson.post(url, settings.webhook().bearerToken(), command, IncidentJson.body(command, notice));
    }
}
