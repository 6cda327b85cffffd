package io.runstream.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code runstream} command. */
@Command(name = "runstream", mixinStandardHelpOptions = true, version = "runstream 0.1.0-SNAPSHOT",
        description = "Event-driven incident response for ML platforms, on Kafka Streams.",
        subcommands = {RunCommand.class, ScenarioCommand.class, IncidentsCommand.class, AckCommand.class,
            ResolveCommand.class, ApproveCommand.class, ValidateCommand.class, TailCommand.class, BacktestCommand.class})
public final class RunstreamCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RunstreamCli()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
