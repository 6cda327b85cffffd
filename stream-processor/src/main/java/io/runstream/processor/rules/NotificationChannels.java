package io.runstream.processor.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.runstream.avro.ActionType;
import io.runstream.avro.Severity;
import io.runstream.processor.escalation.SeverityEscalation;
import io.runstream.processor.runbook.Runbook;
import io.runstream.processor.runbook.RunbookStep;
import io.runstream.processor.runbook.Runbooks;

/**
 * The notification channels a runbooks file makes the stream processor send to: each severity's escalation steps
 * and status updates, each alert's own chain, and each runbook step that pages, notifies or opens a ticket
 * (acknowledgement and resolution only go back to channels these reached). The action workers must reach every
 * one; the processor cannot see their configuration, so it logs this list at start, and {@code runstream
 * validate} compares it with the workers' settings.
 */
public final class NotificationChannels {

    private static final Set<ActionType> NOTICES = Set.of(ActionType.PAGE, ActionType.NOTIFY, ActionType.TICKET);

    private NotificationChannels() {
    }

    /**
     * One place that sends to a channel.
     *
     * @param source where it comes from, e.g. {@code escalation P1 step page-tech-lead} or
     *               {@code runbook notify-owners step tell-team}
     * @param name   the channel's name; a runbook step's may be a template such as {@code {{label.team}}}
     */
    public record Use(String source, ActionType action, String kind, String name) {

        /** {@code kind/name}, as the escalation policy writes it: pagerduty/on-call. */
        public String channel() {
            return kind + "/" + name;
        }

        /** Whether the name is only known per incident ({@code {{...}}}). */
        public boolean templated() {
            return name.contains("{{");
        }
    }

    /** Every use, in the file's order: escalation P1..P4 (steps, then status updates), alert chains, runbooks. */
    public static List<Use> of(Runbooks runbooks) {
        List<Use> uses = new ArrayList<>();
        for (Severity severity : List.of(Severity.P1, Severity.P2, Severity.P3, Severity.P4)) {
            SeverityEscalation escalation = runbooks.escalation().forSeverity(severity);
            escalation.steps().forEach(step -> uses.add(new Use("escalation " + severity + " step " + step.name(),
                    step.type(), step.channelKind(), step.channel())));
            if (escalation.remindsOfUpdates()) {
                escalation.updateChannels().forEach(channel -> {
                    String[] parts = channel.split("/", 2);
                    ActionType type = parts[0].equals("ticket") || parts[0].equals("jira") ? ActionType.TICKET
                            : ActionType.NOTIFY;
                    uses.add(new Use("escalation " + severity + " status updates", type, parts[0], parts[1]));
                });
            }
        }
        runbooks.escalation().byAlert().forEach((alertname, steps) -> steps.forEach(step -> uses.add(new Use(
                "escalation alert " + alertname + " step " + step.name(), step.type(), step.channelKind(),
                step.channel()))));
        for (Runbook runbook : runbooks.runbooks()) {
            for (RunbookStep step : runbook.steps()) {
                if (NOTICES.contains(step.action())) {
                    uses.add(new Use("runbook " + runbook.name() + " step " + step.name(), step.action(),
                            step.targetKind(), step.targetName()));
                }
            }
        }
        return uses;
    }

    /**
     * One line for the log: each channel once, with its uses, e.g. {@code pagerduty/on-call (PAGE: escalation P1
     * step page-on-call, ...); slack/ml-ops-oncall (NOTIFY: ...)}.
     */
    public static String describe(List<Use> uses) {
        if (uses.isEmpty()) {
            return "none";
        }
        Map<String, List<Use>> byChannel = new LinkedHashMap<>();
        uses.forEach(use -> byChannel.computeIfAbsent(use.action() + " " + use.channel(), c -> new ArrayList<>())
                .add(use));
        return byChannel.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue().stream().map(Use::source).collect(Collectors.joining(", "))
                        + ")")
                .collect(Collectors.joining("; "));
    }
}
