package io.runstream.launcher;

import picocli.CommandLine.Command;

/** {@code runstream ack ID}: acknowledges an incident, which stops its escalation chain. */
@Command(name = "ack", aliases = "acknowledge", mixinStandardHelpOptions = true,
        description = {"Acknowledge an incident: its escalation steps stop (status reminders go on).",
            "Needs the API write token. Exit codes as for 'incidents'."})
final class AckCommand extends IncidentVerbCommand {

    AckCommand() {
        super("acknowledge");
    }
}
