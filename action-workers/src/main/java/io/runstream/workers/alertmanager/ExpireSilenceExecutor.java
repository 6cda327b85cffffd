package io.runstream.workers.alertmanager;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionType;
import io.runstream.workers.ActionExecutor;
import io.runstream.workers.Execution;
import io.runstream.workers.RejectedCommandException;

/**
 * EXPIRE_SILENCE: expires the silence named by {@code silenceId}, or else every live silence Runstream made for
 * the command's incident (found by the incident named in the comment). Only silences Runstream created. Expiring what is already expired is
 * ALREADY_APPLIED, so redelivery is harmless.
 */
public final class ExpireSilenceExecutor implements ActionExecutor {

    private static final Pattern ID = Pattern.compile("[0-9a-fA-F-]{1,64}");

    private final AlertmanagerApi api;

    public ExpireSilenceExecutor(AlertmanagerApi api) {
        this.api = api;
    }

    @Override
    public boolean rateLimited() {
        return false;
    }

    @Override
    public ActionType type() {
        return ActionType.EXPIRE_SILENCE;
    }

    @Override
    public Execution execute(ActionCommand command, boolean dryRun) {
        String id = silenceId(command.getParameters());
        String tag = SilenceExecutor.incidentTag(command.getIncidentId());
        List<AlertmanagerApi.Silence> all = api.silences(command);
        List<AlertmanagerApi.Silence> targets = all.stream()
                .filter(s -> id != null ? s.id().equals(id)
                        : AlertmanagerApi.CREATED_BY.equals(s.createdBy()) && s.comment().startsWith(tag))
                .toList();
        if (id != null && targets.isEmpty()) {
            throw new RejectedCommandException("silence_not_found", "Alertmanager has no silence " + id);
        }
        if (id != null && !AlertmanagerApi.CREATED_BY.equals(targets.get(0).createdBy())) {
            // people's own silences are theirs to end
            throw new RejectedCommandException("not_runstream_silence", "silence " + id + " was created by "
                    + targets.get(0).createdBy() + ", not by Runstream; left alone");
        }
        List<AlertmanagerApi.Silence> live = targets.stream().filter(AlertmanagerApi.Silence::live).toList();
        if (live.isEmpty()) {
            Map<String, String> state = new LinkedHashMap<>();
            targets.forEach(s -> state.put("silence." + s.id(), s.state()));
            return Execution.alreadyApplied("no live silence for incident " + command.getIncidentId()
                    + (id == null ? "" : " with id " + id), state);
        }
        Map<String, String> before = new LinkedHashMap<>();
        Map<String, String> after = new LinkedHashMap<>();
        live.forEach(s -> {
            before.put("silence." + s.id(), s.state());
            after.put("silence." + s.id(), "expired");
        });
        String what = "expire " + live.size() + " silence(s) of incident " + command.getIncidentId();
        if (dryRun) {
            return Execution.dryRun("would " + what, before, after);
        }
        live.forEach(s -> api.expire(command, s.id()));
        return Execution.succeeded(what, before, after);
    }

    private static String silenceId(Map<String, String> parameters) {
        for (String key : parameters.keySet()) {
            if (!key.equals("silenceId")) {
                throw new RejectedCommandException("malformed_parameters",
                        "EXPIRE_SILENCE takes only silenceId, not " + key);
            }
        }
        String id = parameters.get("silenceId");
        if (id != null && !ID.matcher(id).matches()) {
            throw new RejectedCommandException("malformed_parameters", "not a silence id: '" + id + "'");
        }
        return id;
    }
}
