package io.runstream.processor.rules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.yaml.snakeyaml.nodes.Node;

import io.runstream.avro.ActionType;
import io.runstream.avro.Severity;
import io.runstream.processor.escalation.EscalationPolicy;
import io.runstream.processor.escalation.EscalationStep;
import io.runstream.processor.escalation.SeverityEscalation;

/**
 * The {@code escalation:} section of the runbooks file. A severity left out keeps its default (runbooks 000 and
 * 001); {@code steps: []} means nothing is sent at once for it.
 *
 * <pre>
 * escalation:
 *   commandTtl: 10m
 *   severities:
 *     P1:
 *       steps:
 *         - {name: page-on-call, after: 0s, action: PAGE, channel: pagerduty/on-call}
 *       statusUpdates: {every: 30m, channel: slack/ml-ops-oncall}
 * </pre>
 */
final class EscalationParser {

    private static final Set<String> SEVERITY_KEYS = Set.of("steps", "statusUpdates");
    private static final Set<String> STEP_KEYS = Set.of("name", "after", "action", "channel");
    private static final Set<ActionType> ACTIONS = Set.of(ActionType.PAGE, ActionType.NOTIFY, ActionType.TICKET);

    private EscalationParser() {
    }

    static EscalationPolicy escalation(YamlSection section) {
        EscalationPolicy defaults = EscalationPolicy.defaults();
        Duration ttl = section.duration("commandTtl").orElse(defaults.commandTtl());
        Map<Severity, SeverityEscalation> bySeverity = new EnumMap<>(Severity.class);
        bySeverity.putAll(defaults.bySeverity());
        section.section("severities", Set.of("P1", "P2", "P3", "P4")).ifPresent(severities -> {
            for (Severity severity : List.of(Severity.P1, Severity.P2, Severity.P3, Severity.P4)) {
                severities.section(severity.name(), SEVERITY_KEYS).ifPresent(s ->
                        severity(s, severity, defaults.forSeverity(severity)).ifPresent(e -> bySeverity.put(severity, e)));
            }
        });
        if (ttl.isZero()) {
            section.problem("commandTtl", "must be positive");
            return defaults;
        }
        return new EscalationPolicy(bySeverity, ttl);
    }

    private static Optional<SeverityEscalation> severity(YamlSection section, Severity severity,
            SeverityEscalation defaults) {
        List<EscalationStep> steps = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<Node> items = section.list("steps").orElse(null);
        if (items == null) {
            steps.addAll(defaults.steps());
        } else {
            for (int i = 0; i < items.size(); i++) {
                String path = section.childPath("steps") + "[" + i + "]";
                YamlSection.of(items.get(i), path, section.problems(), STEP_KEYS)
                        .flatMap(step -> step(step, severity, names)).ifPresent(steps::add);
            }
        }
        Duration every = defaults.statusUpdateEvery();
        String[] channel = {defaults.updateChannelKind(), defaults.updateChannel()};
        Optional<YamlSection> updates = section.section("statusUpdates", Set.of("every", "channel"));
        if (updates.isPresent()) {
            every = updates.get().duration("every").orElse(every);
            updates.get().string("channel").flatMap(text -> channel(updates.get(), "channel", text))
                    .ifPresent(parts -> {
                        channel[0] = parts[0];
                        channel[1] = parts[1];
                    });
            if (!every.isZero() && every.compareTo(Duration.ofMinutes(1)) < 0) {
                updates.get().problem("every", severity + ": status updates at most every minute (or 0s for none)");
                return Optional.empty();
            }
        }
        return Optional.of(new SeverityEscalation(steps, every, channel[0], channel[1]));
    }

    private static Optional<EscalationStep> step(YamlSection step, Severity severity, Set<String> names) {
        step.requireAll("name", "action", "channel");
        String name = step.string("name").orElse("?");
        if (step.has("name") && !name.matches("[a-z0-9][a-z0-9-]{0,40}")) {
            step.problem("name", severity + ": '" + name + "' is not a step name (lower-case letters, digits, '-')");
            return Optional.empty();
        }
        if (step.has("name") && !names.add(name)) {
            step.problem("name", severity + ": step '" + name + "' appears twice");
        }
        Duration after = step.duration("after").orElse(Duration.ZERO);
        Optional<ActionType> action = step.string("action").flatMap(text -> {
            try {
                ActionType type = ActionType.valueOf(text.trim().toUpperCase(Locale.ROOT));
                if (ACTIONS.contains(type)) {
                    return Optional.of(type);
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            step.problem("action", severity + " step " + name + ": '" + text + "' is not PAGE, NOTIFY or TICKET");
            return Optional.empty();
        });
        Optional<String[]> channel = step.string("channel").flatMap(text -> channel(step, "channel", text));
        if (action.isEmpty() || channel.isEmpty() || !step.has("name")) {
            return Optional.empty();
        }
        return Optional.of(new EscalationStep(name, after, action.get(), channel.get()[0], channel.get()[1]));
    }

    /** {@code kind/name}, e.g. pagerduty/on-call. */
    private static Optional<String[]> channel(YamlSection section, String key, String text) {
        String[] parts = text.trim().split("/", 2);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            section.problem(key, "'" + text + "' is not kind/name, e.g. pagerduty/on-call or slack/ml-ops-oncall");
            return Optional.empty();
        }
        return Optional.of(parts);
    }
}
