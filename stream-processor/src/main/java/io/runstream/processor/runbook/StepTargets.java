package io.runstream.processor.runbook;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.runstream.avro.ActionTarget;
import io.runstream.avro.ActionType;
import io.runstream.avro.AlertRef;
import io.runstream.avro.Incident;

/**
 * What a runbook step acts on, with its templates filled: the target, its key (which the conflict rule between
 * runbooks compares), the change as a whole (which is issued once per episode), and a line for people.
 */
final class StepTargets {

    /** Messages and silences: several runbooks may send them at once, they change no workload. */
    private static final Set<ActionType> NOT_TARGET_CHANGES = EnumSet.of(ActionType.NOTIFY, ActionType.PAGE,
            ActionType.TICKET, ActionType.SILENCE, ActionType.EXPIRE_SILENCE);
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private StepTargets() {
    }

    static boolean changesTarget(ActionType action) {
        return !NOT_TARGET_CHANGES.contains(action);
    }

    static ActionTarget target(RunbookStep step, Incident incident, AlertRef alert) {
        return ActionTarget.newBuilder()
                .setKind(step.targetKind())
                .setNamespace(StepTemplates.render(step.targetNamespace(), incident, alert).orElse(null))
                .setName(StepTemplates.render(step.targetName(), incident, alert).orElse(step.targetName()))
                .setContainer(step.container())
                .build();
    }

    /** kind/namespace/name, as action-commands is keyed. */
    static String key(RunbookStep step, Incident incident, AlertRef alert) {
        ActionTarget target = target(step, incident, alert);
        return target.getKind() + "/" + (target.getNamespace() == null ? "" : target.getNamespace()) + "/"
                + target.getName();
    }

    /** What the step changes, {@code ACTION kind/namespace/name {parameters}}; null when it changes no target. */
    static String change(RunbookStep step, Incident incident, AlertRef alert) {
        if (!changesTarget(step.action())) {
            return null;
        }
        Map<String, String> parameters = parameters(step, incident, alert);
        String change = step.action() + " " + key(step, incident, alert)
                + (parameters.isEmpty() ? "" : " " + parameters);
        // kept in runbook-progress-store, whose encoding separates with control characters
        return CONTROL.matcher(change).replaceAll("?");
    }

    /** For people: {@code SET_ENV on Deployment ml-prod/inference-gateway (env.MODEL_VERSION=7)}. */
    static String describe(RunbookStep step, Incident incident, AlertRef alert) {
        ActionTarget target = target(step, incident, alert);
        Map<String, String> parameters = parameters(step, incident, alert);
        return step.action() + " on " + target.getKind() + " " + (target.getNamespace() == null ? ""
                : target.getNamespace() + "/") + target.getName() + (parameters.isEmpty() ? ""
                : " (" + String.join(", ", parameters.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .toList()) + ")");
    }

    /** {@code 30 min}, or seconds when it is not whole minutes. */
    static String minutes(Duration duration) {
        return duration.toMinutes() > 0 && duration.toSecondsPart() == 0 ? duration.toMinutes() + " min"
                : duration.toSeconds() + " s";
    }

    private static Map<String, String> parameters(RunbookStep step, Incident incident, AlertRef alert) {
        return new TreeMap<>(StepTemplates.render(step.parameters(), incident, alert).orElse(Map.of()));
    }
}
