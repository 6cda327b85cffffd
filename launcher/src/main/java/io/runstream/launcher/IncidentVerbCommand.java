package io.runstream.launcher;

import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** A command that sends one incident command by its id, with who sent it and an optional note: ack, resolve. */
abstract class IncidentVerbCommand implements Callable<Integer> {

    private final String action;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Mixin
    ApiOptions api;

    @Parameters(paramLabel = "ID", description = "The incident id.")
    String id;

    @Option(names = "--actor", description = "Who does it (default: your login name).")
    String actor = IncidentCommandCall.defaultActor();

    @Option(names = "--note", description = "A note for the timeline, e.g. what was found.")
    String note;

    IncidentVerbCommand(String action) {
        this.action = action;
    }

    @Override
    public Integer call() {
        return IncidentCommandCall.send(api, id, action, actor, note, Map.of(), spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }
}
