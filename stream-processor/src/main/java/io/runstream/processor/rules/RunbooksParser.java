package io.runstream.processor.rules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.yaml.snakeyaml.nodes.Node;

import io.runstream.avro.ActionMode;
import io.runstream.avro.ActionType;
import io.runstream.avro.Severity;
import io.runstream.processor.escalation.EscalationPolicy;
import io.runstream.processor.recovery.RecoveryPolicy;
import io.runstream.processor.runbook.Approvals;
import io.runstream.processor.runbook.Runbook;
import io.runstream.processor.runbook.RunbookCondition;
import io.runstream.processor.runbook.RunbookMatch;
import io.runstream.processor.runbook.RunbookStep;
import io.runstream.processor.runbook.Runbooks;

/**
 * Reads and validates a runbooks file; every problem names the file, line and column, and the runbook and
 * step by name, e.g. {@code runbooks.yaml line 14, column 17: runbooks[0] (rollback-after-rollout).steps[0]
 * (rollback).action: 'ROLLBACK' is not an action}.
 */
final class RunbooksParser {

    private static final Set<String> TOP_KEYS = Set.of("runbooks", "mode", "recovery", "escalation",
            "approvals");
    private static final Set<String> APPROVALS_KEYS = Set.of("channel", "timeout", "onTimeout");
    private static final Set<String> RUNBOOK_KEYS = Set.of("name", "description", "match", "when", "steps");
    private static final Set<String> MATCH_KEYS = Set.of("alerts", "severities", "labels");
    private static final Set<String> WHEN_KEYS = Set.of("recentRollout", "errorRateAbove", "latencyP95Above");
    private static final Set<String> STEP_KEYS = Set.of("name", "action", "target", "parameters", "mode",
            "requiresApproval", "expiresAfter", "deadline", "approvalTimeout", "onApprovalTimeout");
    private static final Set<String> TARGET_KEYS = Set.of("kind", "namespace", "name", "container");
    private static final Set<ActionType> RUNBOOK_ACTIONS = Set.of(ActionType.ROLLOUT_UNDO, ActionType.ROLLOUT_RESTART,
            ActionType.SCALE, ActionType.SET_ENV, ActionType.SET_RESOURCES, ActionType.PATCH_CONFIGMAP,
            ActionType.DELETE_POD, ActionType.NOTIFY, ActionType.PAGE, ActionType.SILENCE, ActionType.HTTP_REQUEST);
    private static final String NAME = "[a-z0-9][a-z0-9-]{0,62}";

    private RunbooksParser() {
    }

    /** @param builtIn the runbooks kept when the file has no {@code runbooks:} key (empty for the built-in file) */
    static Runbooks parse(String fileName, String text, List<Runbook> builtIn) {
        YamlProblems problems = new YamlProblems(fileName);
        Node root = problems.compose(text);
        if (root == null) {
            return new Runbooks(builtIn);
        }
        List<Runbook> runbooks = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Optional<YamlSection> top = YamlSection.of(root, "", problems, TOP_KEYS);
        top.flatMap(section -> section.list("runbooks")).ifPresent(items -> {
            for (int i = 0; i < items.size(); i++) {
                runbook(items.get(i), "runbooks[" + i + "]", problems, names).ifPresent(runbooks::add);
            }
        });
        if (top.isPresent() && !top.get().has("runbooks")) {
            runbooks.addAll(builtIn);
        }
        ActionMode mode = top.flatMap(section -> mode(section, "mode", "the global mode")).orElse(ActionMode.ENFORCE);
        RecoveryPolicy recovery = top.flatMap(section -> section.section("recovery", Set.of("hold", "deadline")))
                .map(RunbooksParser::recovery).orElse(RecoveryPolicy.defaults());
        EscalationPolicy escalation = top.flatMap(section -> section.section("escalation",
                EscalationParser.SECTION_KEYS)).map(EscalationParser::escalation)
                .orElse(EscalationPolicy.defaults());
        Approvals approvals = top.flatMap(section -> section.section("approvals", APPROVALS_KEYS))
                .map(RunbooksParser::approvals).orElse(Approvals.defaults());
        if (!problems.isEmpty()) {
            throw new RulesFileException(problems.list());
        }
        return new Runbooks(runbooks, mode, recovery, escalation, approvals);
    }

    private static Approvals approvals(YamlSection section) {
        Approvals defaults = Approvals.defaults();
        String[] channel = {defaults.channelKind(), defaults.channel()};
        section.string("channel").ifPresent(text -> {
            String[] parts = text.trim().split("/", 2);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                section.problem("channel", "'" + text + "' is not kind/name, e.g. slack/ml-ops-oncall");
            } else {
                channel[0] = parts[0];
                channel[1] = parts[1];
            }
        });
        Duration timeout = section.duration("timeout").orElse(defaults.timeout());
        if (timeout.isZero()) {
            section.problem("timeout", "must be positive");
            timeout = defaults.timeout();
        }
        Approvals.OnTimeout onTimeout = onTimeout(section, "onTimeout", "").orElse(defaults.onTimeout());
        return new Approvals(channel[0], channel[1], timeout, onTimeout);
    }

    /** @param prefix what the problem is about, e.g. {@code "memory-pressure step raise: "} (empty for the file's) */
    private static Optional<Approvals.OnTimeout> onTimeout(YamlSection section, String key, String prefix) {
        return section.string(key).flatMap(text -> switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "skip" -> Optional.of(Approvals.OnTimeout.SKIP);
            case "escalate" -> Optional.of(Approvals.OnTimeout.ESCALATE);
            default -> {
                section.problem(key, prefix + "must be skip or escalate, was '" + text + "'");
                yield Optional.empty();
            }
        });
    }

    private static RecoveryPolicy recovery(YamlSection section) {
        RecoveryPolicy defaults = RecoveryPolicy.defaults();
        Duration hold = section.duration("hold").orElse(defaults.hold());
        Duration deadline = section.duration("deadline").orElse(defaults.deadline());
        if (deadline.isZero()) {
            section.problem("deadline", "must be positive");
            return defaults;
        }
        return new RecoveryPolicy(hold, deadline);
    }

    private static Optional<ActionMode> mode(YamlSection section, String key, String what) {
        return section.string(key).flatMap(text -> switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "enforce" -> Optional.of(ActionMode.ENFORCE);
            case "dry-run", "dry_run" -> Optional.of(ActionMode.DRY_RUN);
            default -> {
                section.problem(key, what + ": mode must be enforce or dry-run, was '" + text + "'");
                yield Optional.empty();
            }
        });
    }

    private static Optional<Runbook> runbook(Node node, String basePath, YamlProblems problems, Set<String> names) {
        Optional<YamlSection> found = YamlSection.of(node, basePath, problems, RUNBOOK_KEYS);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlSection section = found.get();
        section.requireAll("name", "match", "steps");
        String name = section.string("name").orElse("?");
        if (section.has("name") && !name.matches(NAME)) {
            section.problem("name", "'" + name + "' is not a runbook name (lower-case letters, digits, '-')");
        } else if (section.has("name") && !names.add(name)) {
            section.problem("name", "runbook '" + name + "' is defined twice");
        }
        RunbookMatch match = section.section("match", MATCH_KEYS).map(m -> match(m, name)).orElse(null);
        RunbookCondition when = section.section("when", WHEN_KEYS).map(RunbooksParser::when)
                .orElse(RunbookCondition.none());
        List<RunbookStep> steps = new ArrayList<>();
        section.list("steps").ifPresent(items -> {
            if (items.isEmpty()) {
                section.problem("steps", "runbook " + name + " needs at least one step");
            }
            Set<String> stepNames = new HashSet<>();
            for (int i = 0; i < items.size(); i++) {
                step(items.get(i), section.childPath("steps") + "[" + i + "]", name, problems, stepNames)
                        .ifPresent(steps::add);
            }
        });
        if (match == null || steps.isEmpty() || !problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Runbook(name, section.string("description").orElse(""), match, when, steps));
    }

    private static RunbookMatch match(YamlSection section, String runbook) {
        section.requireAll("alerts");
        List<String> alerts = section.stringList("alerts").orElse(List.of());
        if (section.has("alerts") && alerts.isEmpty()) {
            section.problem("alerts", "runbook " + runbook + " matches no alert name");
        }
        Set<Severity> severities = new HashSet<>();
        for (String text : section.stringList("severities").orElse(List.of())) {
            try {
                Severity severity = Severity.valueOf(text.trim().toUpperCase(Locale.ROOT));
                if (severity == Severity.UNKNOWN) {
                    throw new IllegalArgumentException(text);
                }
                severities.add(severity);
            } catch (IllegalArgumentException e) {
                section.problem("severities", "runbook " + runbook + ": '" + text + "' is not one of P1, P2, P3, P4");
            }
        }
        return new RunbookMatch(Set.copyOf(alerts), severities, section.stringMap("labels").orElse(Map.of()));
    }

    private static RunbookCondition when(YamlSection section) {
        Double errorRate = section.number("errorRateAbove").orElse(null);
        if (errorRate != null && !(errorRate >= 0 && errorRate <= 1)) {
            section.problem("errorRateAbove", "must be a ratio in 0..1, was " + errorRate);
        }
        return new RunbookCondition(section.duration("recentRollout").orElse(null), errorRate,
                section.number("latencyP95Above").orElse(null));
    }

    private static Optional<RunbookStep> step(Node node, String basePath, String runbook, YamlProblems problems,
            Set<String> names) {
        Optional<YamlSection> found = YamlSection.of(node, basePath, problems, STEP_KEYS);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlSection raw = found.get();
        String name = runbook + " step " + raw.string("name").orElse("?");
        raw.requireAll("name", "action", "target");
        String stepName = raw.string("name").orElse("?");
        if (raw.has("name") && !stepName.matches(NAME)) {
            raw.problem("name", name + ": not a step name (lower-case letters, digits, '-')");
        } else if (raw.has("name") && !names.add(stepName)) {
            raw.problem("name", name + ": appears twice in the runbook");
        }
        ActionType action = raw.string("action").flatMap(text -> {
            try {
                ActionType type = ActionType.valueOf(text.trim().toUpperCase(Locale.ROOT));
                if (RUNBOOK_ACTIONS.contains(type)) {
                    return Optional.of(type);
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            raw.problem("action", name + ": '" + text + "' is not an action (one of "
                    + new java.util.TreeSet<>(RUNBOOK_ACTIONS.stream().map(Enum::name).toList()) + ")");
            return Optional.empty();
        }).orElse(null);
        Optional<YamlSection> target = raw.section("target", TARGET_KEYS);
        target.ifPresent(t -> t.requireAll("kind", "name"));
        ActionMode mode = mode(raw, "mode", name).orElse(ActionMode.ENFORCE);
        boolean approval = raw.string("requiresApproval").map(text -> {
            if (!text.equals("true") && !text.equals("false")) {
                raw.problem("requiresApproval", name + ": must be true or false, was '" + text + "'");
            }
            return text.equals("true");
        }).orElse(false);
        Duration expiresAfter = raw.duration("expiresAfter").orElse(Duration.ofMinutes(10));
        Duration deadline = raw.duration("deadline").orElse(null);
        if (deadline != null && deadline.isZero()) {
            raw.problem("deadline", name + ": must be positive");
            return Optional.empty();
        }
        Duration approvalTimeout = raw.duration("approvalTimeout").orElse(null);
        if (approvalTimeout != null && approvalTimeout.isZero()) {
            raw.problem("approvalTimeout", name + ": must be positive");
            return Optional.empty();
        }
        Approvals.OnTimeout onApprovalTimeout = onTimeout(raw, "onApprovalTimeout", name + ": ").orElse(null);
        if (action == null || target.isEmpty() || !target.get().has("kind") || !target.get().has("name")) {
            return Optional.empty();
        }
        YamlSection t = target.get();
        Map<String, String> parameters = raw.stringMap("parameters").orElse(Map.of());
        if (action == ActionType.HTTP_REQUEST) {
            HttpStepCheck.check(raw, name, t.string("kind").orElse(""), t.string("name").orElse(""), parameters);
        }
        return Optional.of(new RunbookStep(stepName, action, t.string("kind").orElse(""), t.string("namespace").orElse(null),
                t.string("name").orElse(""), t.string("container").orElse(null), parameters, mode, approval,
                expiresAfter, deadline, approvalTimeout, onApprovalTimeout));
    }
}
