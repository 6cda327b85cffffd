package io.runstream.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import io.runstream.launcher.api.ApiException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runstream approve ID [ACTION]}: releases a runbook step that waits for a person's approval. */
@Command(name = "approve", mixinStandardHelpOptions = true,
        description = {"Approve the runbook step an incident holds for approval (ACTION_AWAITING_APPROVAL).",
            "ACTION picks the step when given: its command id (as 'incidents show' prints it) or the step's name.",
            "Needs the API write token. Exit codes as for 'incidents'."})
final class ApproveCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Mixin
    ApiOptions api;

    @Parameters(index = "0", paramLabel = "ID", description = "The incident id.")
    String id;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ACTION",
            description = "The awaiting step: its command id or step name (default: whatever waits).")
    String action;

    @Option(names = "--actor", description = "Who approves (default: your login name).")
    String actor = IncidentCommandCall.defaultActor();

    @Option(names = "--note", description = "A note for the timeline.")
    String note;

    @Override
    public Integer call() {
        if (action == null) {
            return IncidentCommandCall.send(api, id, "approve", actor, note, Map.of(), spec.commandLine().getOut(),
                    spec.commandLine().getErr());
        }
        String[] commandId = new String[1];
        int found = ApiCall.run(() -> {
            JsonNode incident = api.reader().incident(id);
            List<String> waiting = new ArrayList<>();
            for (JsonNode entry : incident.path("timeline")) {
                if (entry.path("type").asText().equals("ACTION_AWAITING_APPROVAL")) {
                    waiting.add(entry.path("actionCommandId").asText());
                }
            }
            // the latest held entry: after a reopen the same step may have waited in an earlier episode too
            commandId[0] = waiting.stream().filter(c -> c.equals(action) || c.endsWith("/" + action))
                    .reduce((earlier, later) -> later)
                    .orElseThrow(() -> new ApiException(ApiException.REFUSED, 404, "no step '" + action
                            + "' of " + id + " asked for approval" + (waiting.isEmpty() ? "; none did"
                            : "; these did: " + String.join(", ", waiting))));
            return 0;
        }, spec.commandLine().getErr());
        if (found != 0) {
            return found;
        }
        return IncidentCommandCall.send(api, id, "approve", actor, note, Map.of("actionCommandId", commandId[0]),
                spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
