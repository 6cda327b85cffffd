package io.runstream.launcher;

import picocli.CommandLine.Command;

/** {@code runstream resolve ID}: resolves an incident by hand, which stops all its timers. */
@Command(name = "resolve", mixinStandardHelpOptions = true,
        description = {"Resolve an incident by hand: escalation and reminders stop.",
            "Needs the API write token. Exit codes as for 'incidents'."})
final class ResolveCommand extends IncidentVerbCommand {

    ResolveCommand() {
        super("resolve");
    }
}
