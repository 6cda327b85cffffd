package io.runstream.workers.alertmanager;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionType;
import io.runstream.common.config.DurationParser;
import io.runstream.workers.ActionExecutor;
import io.runstream.workers.Execution;
import io.runstream.workers.RejectedCommandException;

/**
 * SILENCE: creates an Alertmanager silence for an incident's alerts. Parameters: {@code label.NAME=value} (one
 * equality matcher each, at least one), {@code duration} (default 2h, at most 7d), optional {@code comment}.
 * The silence's comment names the incident and carries the command id, which is how a redelivered command finds
 * the silence it already made instead of making a second.
 */
public final class SilenceExecutor implements ActionExecutor {

    static final Duration DEFAULT_DURATION = Duration.ofHours(2);
    static final Duration MAX_DURATION = Duration.ofDays(7);
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final AlertmanagerApi api;

    public SilenceExecutor(AlertmanagerApi api) {
        this.api = api;
    }

    @Override
    public boolean rateLimited() {
        return false;
    }

    @Override
    public ActionType type() {
        return ActionType.SILENCE;
    }

    /** The comment prefix that ties a silence to its incident; EXPIRE_SILENCE looks for it. */
    static String incidentTag(String incidentId) {
        return "Runstream incident " + incidentId + ":";
    }

    static String commandTag(String commandId) {
        return "[command " + commandId + "]";
    }

    @Override
    public Execution execute(ActionCommand command, boolean dryRun) {
        Map<String, String> labels = new LinkedHashMap<>();
        Duration duration = DEFAULT_DURATION;
        String extra = null;
        for (Map.Entry<String, String> p : command.getParameters().entrySet()) {
            String key = p.getKey();
            if (key.startsWith("label.") && LABEL.matcher(key.substring(6)).matches()) {
                labels.put(key.substring(6), p.getValue());
            } else if (key.equals("duration")) {
                duration = duration(p.getValue());
            } else if (key.equals("comment")) {
                extra = p.getValue();
            } else {
                throw new RejectedCommandException("malformed_parameters",
                        "SILENCE takes label.NAME=value, duration and comment, not " + key);
            }
        }
        if (labels.isEmpty() || labels.values().stream().anyMatch(String::isEmpty)) {
            throw new RejectedCommandException("malformed_parameters",
                    "SILENCE needs at least one label.NAME=value matcher with a non-empty value");
        }
        String comment = incidentTag(command.getIncidentId()) + " " + command.getReason() + " "
                + commandTag(command.getCommandId()) + (extra == null ? "" : " " + extra);
        Map<String, String> before = Map.of("silence", "none");
        Optional<AlertmanagerApi.Silence> existing = api.silences(command).stream()
                .filter(s -> s.comment().contains(commandTag(command.getCommandId()))).findFirst();
        if (existing.isPresent()) {
            return Execution.alreadyApplied("this command already created silence " + existing.get().id(),
                    state(existing.get().id(), labels, existing.get().endsAt()));
        }
        Instant now = api.http().clock().instant();
        Instant endsAt = now.plus(duration);
        String what = "silence " + labels + " for " + duration + " for incident " + command.getIncidentId();
        if (dryRun) {
            // Alertmanager has no dry run: report the silence that would be made
            return Execution.dryRun("would " + what, before, state("(dry-run)", labels, endsAt));
        }
        String id = api.create(command, labels, now, endsAt, comment);
        return Execution.succeeded(what + ": " + id, before, state(id, labels, endsAt));
    }

    private static Map<String, String> state(String id, Map<String, String> labels, Instant endsAt) {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("silence", id);
        state.put("endsAt", endsAt.toString());
        labels.forEach((name, value) -> state.put("matcher." + name, value));
        return state;
    }

    private static Duration duration(String text) {
        Duration duration;
        try {
            duration = DurationParser.parse(text);
        } catch (IllegalArgumentException e) {
            throw new RejectedCommandException("malformed_parameters", "duration: " + e.getMessage());
        }
        if (duration.compareTo(Duration.ofMinutes(1)) < 0 || duration.compareTo(MAX_DURATION) > 0) {
            throw new RejectedCommandException("malformed_parameters", "duration must be 1m to 7d, was " + text);
        }
        return duration;
    }
}
