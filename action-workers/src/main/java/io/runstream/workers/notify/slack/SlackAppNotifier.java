package io.runstream.workers.notify.slack;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionType;
import io.runstream.workers.Execution;
import io.runstream.workers.ExecutionFailure;
import io.runstream.workers.notify.Notice;

/**
 * NOTIFY to a Slack channel through the Slack app (bot token, Web API). The first notice of an incident in a
 * channel posts a message ({@code chat.postMessage}) with Acknowledge / Resolve buttons; every later notice for
 * that incident (status update, acknowledgement, resolution) rewrites that message in place ({@code chat.update}),
 * so the channel holds one message per incident that always shows its current status, commander and the buttons
 * that still make sense, instead of a scroll of updates. An approval request is posted as a message of its own with
 * an Approve button and never replaces the incident's message. The result's {@code after} carries
 * {@code slackChannel}, {@code slackTs} and {@code slackMethod}; from those the workers find the message again after
 * a restart ({@link #remember}). A message deleted in Slack ({@code message_not_found}) is posted anew.
 */
public final class SlackAppNotifier {

    private final SlackWebApi api;
    private final SlackThreads threads;

    public SlackAppNotifier(SlackWebApi api, SlackThreads threads) {
        this.api = api;
        this.threads = threads;
    }

    public Execution execute(ActionCommand command, Notice notice, String channelId, boolean dryRun) {
        String channel = "slack " + command.getTarget().getName();
        Optional<String> heldAction = SlackAppMessage.heldActionOf(command);
        Optional<String> existing = heldAction.isPresent() ? Optional.empty()
                : threads.messageOf(command.getIncidentId(), channelId);
        Map<String, String> after = new HashMap<>(Map.of("message", notice.event() + ": " + notice.title(),
                "channel", channel, "slackChannel", channelId));
        if (dryRun) {
            after.put("slackMethod", existing.isPresent() ? "chat.update" : "chat.postMessage");
            return Execution.dryRun("would " + after.get("slackMethod") + " " + notice.event() + " in " + channel,
                    Map.of(), after);
        }
        var message = SlackAppMessage.body(notice, heldAction);
        SlackWebApi.Posted posted;
        String method = "chat.update";
        if (existing.isPresent()) {
            try {
                posted = api.update(command, channelId, existing.get(), message);
            } catch (ExecutionFailure e) {
                if (!"message_not_found".equals(e.execution().reasonCode())) {
                    throw e;
                }
                threads.forget(command.getIncidentId(), channelId);
                method = "chat.postMessage";
                posted = api.postMessage(command, channelId, message);
            }
        } else {
            method = "chat.postMessage";
            posted = api.postMessage(command, channelId, message);
        }
        if (heldAction.isEmpty()) {
            threads.remember(command.getIncidentId(), posted.channel(), posted.ts());
        }
        after.put("slackChannel", posted.channel());
        after.put("slackTs", posted.ts());
        after.put("slackMethod", method);
        return Execution.succeeded((method.equals("chat.update") ? "updated the message of " : "posted ")
                + notice.event() + " in " + channel, Map.of(), after).withAttempts(posted.attempts());
    }

    /** Learns an incident's message from an earlier NOTIFY result (on start, from action-results). */
    public void remember(ActionResult earlier) {
        Map<String, String> after = earlier.getAfter();
        if (earlier.getType() != ActionType.NOTIFY || earlier.getOutcome() != ActionOutcome.SUCCEEDED
                || after == null || !after.containsKey("slackTs") || !after.containsKey("slackChannel")
                || SlackAppMessage.heldActionOf(earlier.getCommandId()).isPresent()) {
            return;
        }
        threads.remember(earlier.getIncidentId(), after.get("slackChannel"), after.get("slackTs"));
    }
}
