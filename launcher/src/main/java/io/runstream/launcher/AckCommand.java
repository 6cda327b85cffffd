package io.runstream.launcher;

import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runstream ack ID}: acknowledges an incident, which stops its escalation chain. */
@Command(name = "ack", aliases = "acknowledge", mixinStandardHelpOptions = true,
        description = {"Acknowledge an incident: its escalation steps stop (status reminders go on).",
            "Needs the API write token. Exit codes as for 'incidents'."})
final class AckCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Mixin
    ApiOptions api;

    @Parameters(paramLabel = "ID", description = "The incident id.")
    String id;

    @Option(names = "--actor", description = "Who acknowledges (default: your login name).")
    String actor = IncidentCommandCall.defaultActor();

    @Option(names = "--note", description = "A note for the timeline.")
    String note;

    @Override
    public Integer call() {
        return IncidentCommandCall.send(api, id, "acknowledge", actor, note, Map.of(), spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }
}
