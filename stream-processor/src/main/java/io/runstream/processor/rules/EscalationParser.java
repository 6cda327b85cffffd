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
import io.runstream.processor.escalation.EscalationStop;
import io.runstream.processor.escalation.SeverityEscalation;

/**
 * The {@code escalation:} section of the runbooks file. A severity left out keeps its default (runbooks 000 and
 * 001); {@code steps: []} means nothing is sent at once for it. {@code alerts:} replaces the per-alert chains
 * (runbook 004) when present.
 *
 * <pre>
 * escalation:
 *   commandTtl: 10m
 *   dashboardUrl: https://runstream.example.com/dashboard
 *   severities:
 *     P1:
 *       steps:
 *         - {name: page-on-call, after: 0s, action: PAGE, channel: pagerduty/on-call}
 *         - {name: page-vp-engineering, after: 15m, action: PAGE, channel: pagerduty/vp-engineering, until: resolved}
 *       statusUpdates: {every: 10m, channel: slack/ml-ops-oncall}
 *   alerts:
 *     DatabaseDown:
 *       steps:
 *         - {name: page-dba, after: 0s, action: PAGE, channel: pagerduty/dba}
 * </pre>
 */
final class EscalationParser {

    private static final Set<String> SEVERITY_KEYS = Set.of("steps", "statusUpdates");
    static final Set<String> SECTION_KEYS = Set.of("commandTtl", "dashboardUrl", "severities", "alerts");
    private static final Set<String> STEP_KEYS = Set.of("name", "after", "action", "channel", "until");
    /** Prometheus' rule for alert names, which also keeps them apart from the timer name's separators. */
    private static final String ALERTNAME = "[a-zA-Z_][a-zA-Z0-9_:]{0,100}";
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
        Map<String, List<EscalationStep>> byAlert = section.nodeMap("alerts")
                .map(chains -> alertChains(section, chains)).orElse(defaults.byAlert());
        String dashboardUrl = section.string("dashboardUrl").filter(url -> dashboardUrl(section, url)).orElse(null);
        if (ttl.isZero()) {
            section.problem("commandTtl", "must be positive");
            return defaults;
        }
        return new EscalationPolicy(bySeverity, byAlert, ttl, dashboardUrl);
    }

    private static Map<String, List<EscalationStep>> alertChains(YamlSection section, Map<String, Node> chains) {
        Map<String, List<EscalationStep>> byAlert = new java.util.LinkedHashMap<>();
        String path = section.childPath("alerts");
        chains.forEach((alertname, node) -> {
            if (!alertname.matches(ALERTNAME)) {
                section.problems().add(node, path + "." + alertname, "'" + alertname
                        + "' is not an alert name (letters, digits, '_' and ':', not starting with a digit)");
                return;
            }
            YamlSection.of(node, path + "." + alertname, section.problems(), Set.of("steps")).ifPresent(chain -> {
                chain.requireAll("steps");
                byAlert.put(alertname, steps(chain, "alert " + alertname, List.of()));
            });
        });
        return byAlert;
    }

    private static boolean dashboardUrl(YamlSection section, String url) {
        if (url.isBlank()) {
            return false;
        }
        try {
            java.net.URI uri = new java.net.URI(url.trim());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return true;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        section.problem("dashboardUrl", "'" + url + "' is not an http(s) URL");
        return false;
    }

    private static Optional<SeverityEscalation> severity(YamlSection section, Severity severity,
            SeverityEscalation defaults) {
        List<EscalationStep> steps = steps(section, severity.name(), defaults.steps());
        Duration every = defaults.statusUpdateEvery();
        String[] channel = {defaults.updateChannelKind(), defaults.updateChannel()};
        List<String> alsoUpdate = new ArrayList<>(defaults.alsoUpdate());
        Optional<YamlSection> updates = section.section("statusUpdates", Set.of("every", "channel", "alsoTo"));
        if (updates.isPresent()) {
            every = updates.get().duration("every").orElse(every);
            Optional<List<String>> also = updates.get().stringList("alsoTo");
            if (also.isPresent()) {
                alsoUpdate.clear();
                for (String text : also.get()) {
                    channel(updates.get(), "alsoTo", text).ifPresent(parts -> alsoUpdate.add(parts[0] + "/" + parts[1]));
                }
            }
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
        return Optional.of(new SeverityEscalation(steps, every, channel[0], channel[1], alsoUpdate));
    }

    /** The section's {@code steps}, or {@code defaults} when it has none. */
    private static List<EscalationStep> steps(YamlSection section, String chain, List<EscalationStep> defaults) {
        List<Node> items = section.list("steps").orElse(null);
        if (items == null) {
            return defaults;
        }
        List<EscalationStep> steps = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String path = section.childPath("steps") + "[" + i + "]";
            YamlSection.of(items.get(i), path, section.problems(), STEP_KEYS)
                    .flatMap(step -> step(step, chain, names)).ifPresent(steps::add);
        }
        return steps;
    }

    private static Optional<EscalationStep> step(YamlSection step, String severity, Set<String> names) {
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
        Optional<EscalationStop> until = until(step, severity + " step " + name);
        if (action.isEmpty() || channel.isEmpty() || until.isEmpty() || !step.has("name")) {
            return Optional.empty();
        }
        return Optional.of(new EscalationStep(name, after, action.get(), channel.get()[0], channel.get()[1],
                until.get()));
    }

    private static Optional<EscalationStop> until(YamlSection step, String where) {
        if (!step.has("until")) {
            return Optional.of(EscalationStop.ACKNOWLEDGED);
        }
        String text = step.string("until").orElse("");
        for (EscalationStop stop : EscalationStop.values()) {
            if (stop.configName().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(stop);
            }
        }
        step.problem("until", where + ": '" + text + "' is not acknowledged, mitigated or resolved");
        return Optional.empty();
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
