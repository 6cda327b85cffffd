package io.runstream.launcher;

import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runstream resolve ID}: resolves an incident by hand, which stops all its timers. */
@Command(name = "resolve", mixinStandardHelpOptions = true,
        description = {"Resolve an incident by hand: escalation and reminders stop.",
            "Needs the API write token. Exit codes as for 'incidents'."})
final class ResolveCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Mixin
    ApiOptions api;

    @Parameters(paramLabel = "ID", description = "The incident id.")
    String id;

    @Option(names = "--actor", description = "Who resolves (default: your login name).")
    String actor = IncidentCommandCall.defaultActor();

    @Option(names = "--note", description = "A note for the timeline, e.g. the root cause.")
    String note;

    @Override
    public Integer call() {
        return IncidentCommandCall.send(api, id, "resolve", actor, note, Map.of(), spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }
}
