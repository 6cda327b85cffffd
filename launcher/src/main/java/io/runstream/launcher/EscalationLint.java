package io.runstream.launcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.runstream.processor.rules.NotificationChannels;
import io.runstream.processor.rules.NotificationChannels.Use;
import io.runstream.processor.runbook.Runbooks;
import io.runstream.workers.notify.NotifySettings;

/**
 * The escalation lint: every escalation step, status update and runbook step whose page, message or ticket the
 * action workers cannot deliver with their notification settings, because its channel has no configuration. The
 * workers answer such a command {@code channel_not_configured} (or put it in their local inbox), so no person is
 * reached; this finds it before an incident does. The rules are the executors' own: PAGE needs the PagerDuty URL
 * and a routing key for the target name (or the default one), NOTIFY to {@code slack} a webhook for the channel
 * (or the default one), NOTIFY to {@code webhook} the webhook URL, TICKET to {@code ticket} the ticket URL.
 */
final class EscalationLint {

    private EscalationLint() {
    }

    /** A configuration key that would make the channel reachable, and its environment variable. */
    record Fix(String key, String variable) {
        static Fix of(String key) {
            return new Fix(key, "RUNSTREAM_" + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2")
                    .replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return key + " (" + variable + ")";
        }
    }

    /**
     * One use of an unreachable channel.
     *
     * @param fix       the key that fixes it for this channel; null when the runbooks file must change instead
     * @param orDefault a key that fixes it for every name of the kind, when there is one
     */
    record Finding(Use use, String problem, Fix fix, Fix orDefault) {

        /** For {@code runstream validate}: where, what, why and which key to set. */
        String warning() {
            String remedy = fix == null ? "" : " Set " + fix + (orDefault == null ? "" : " or, for every "
                    + use.kind() + " name, " + orDefault) + ".";
            return "warning: " + use.source() + ": " + use.action() + " " + use.channel() + " reaches no one: "
                    + problem + "." + remedy;
        }
    }

    /** Every use of a channel {@code settings} cannot reach, in the runbooks file's order. */
    static List<Finding> check(Runbooks runbooks, NotifySettings settings) {
        List<Finding> findings = new ArrayList<>();
        for (Use use : NotificationChannels.of(runbooks)) {
            check(use, settings).ifPresent(findings::add);
        }
        return findings;
    }

    static Optional<Finding> check(Use use, NotifySettings settings) {
        String name = use.name();
        boolean templated = use.templated();
        return switch (use.action()) {
            case PAGE -> {
                if (settings.pagerduty().url() == null || settings.pagerduty().url().isBlank()) {
                    yield Optional.of(new Finding(use, "the PagerDuty Events API URL is empty",
                            Fix.of("notifications.pagerduty.url"), null));
                }
                yield settings.pagerduty().routingKeyFor(name).isPresent() ? Optional.empty()
                        : Optional.of(missing(use, "PagerDuty routing key", "notifications.pagerduty.routingKeys",
                                "notifications.pagerduty.routingKey", templated));
            }
            case NOTIFY -> switch (use.kind()) {
                case "slack" -> settings.slack().webhookFor(name).isPresent()
                        || settings.slack().channelIdFor(name).isPresent() ? Optional.empty()
                        : Optional.of(missing(use, "Slack webhook", "notifications.slack.channels",
                                "notifications.slack.webhookUrl", templated));
                case "webhook" -> settings.webhook().enabled() ? Optional.empty()
                        : Optional.of(new Finding(use, "no webhook URL is configured",
                                Fix.of("notifications.webhook.url"), null));
                default -> Optional.of(new Finding(use, "NOTIFY goes to kind slack or webhook, not " + use.kind()
                        + " (change the runbooks file)", null, null));
            };
            case TICKET -> !use.kind().equals("ticket")
                    ? Optional.of(new Finding(use, "TICKET goes to kind ticket, not " + use.kind()
                            + " (change the runbooks file)", null, null))
                    : settings.ticket().enabled() ? Optional.empty()
                            : Optional.of(new Finding(use, "no ticket webhook is configured",
                                    Fix.of("notifications.ticket.url"), null));
            default -> Optional.empty();
        };
    }

    private static Finding missing(Use use, String what, String byNameKey, String defaultKey, boolean templated) {
        if (templated) {
            return new Finding(use, "the name " + use.name() + " is only known per incident and no default "
                    + what + " is configured", Fix.of(defaultKey), null);
        }
        return new Finding(use, "no " + what + " is configured for " + use.name(),
                Fix.of(byNameKey + "." + use.name()), Fix.of(defaultKey));
    }

    /**
     * For {@code runstream run}: one line per unreachable channel with how many places use it and the variable
     * that would configure it.
     */
    static List<String> summary(List<Finding> findings) {
        Map<String, List<Finding>> byChannel = new LinkedHashMap<>();
        findings.forEach(f -> byChannel.computeIfAbsent(f.use().action() + " " + f.use().channel(),
                c -> new ArrayList<>()).add(f));
        List<String> lines = new ArrayList<>();
        byChannel.forEach((channel, uses) -> {
            Finding first = uses.get(0);
            lines.add(String.format("  %-32s %d use%s, %s", channel, uses.size(), uses.size() == 1 ? "" : "s",
                    first.fix() == null ? first.problem() : "set " + first.fix().variable()));
        });
        return lines;
    }
}
