package io.runstream.launcher;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.runstream.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runstream run}: the whole pipeline in this process, on the embedded broker unless told otherwise. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Start the ingest connector, the stream processor and the action workers in one process.",
            "Without --bootstrap-servers a real single-node Kafka broker (KRaft) is started in-process.",
            "Every service reads RUNSTREAM_* environment variables as documented in the README."})
final class RunCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", description = "Use this Kafka cluster instead of the embedded broker.")
    String bootstrapServers;

    @Option(names = "--kafka-data-dir", description = "Keep the embedded broker's data here across runs "
            + "(default: a temporary directory deleted on exit).")
    Path kafkaDataDir;

    @Option(names = "--kafka-port", defaultValue = "0", description = "Client port of the embedded broker "
            + "(default: a free port).")
    int kafkaPort;

    @Option(names = "--ephemeral-ports", description = "Let every HTTP server pick a free port instead of 8081-8083.")
    boolean ephemeralPorts;

    @Override
    public Integer call() {
        StackOptions options = new StackOptions(bootstrapServers, kafkaDataDir, kafkaPort, ephemeralPorts);
        Stack stack;
        try {
            stack = Stack.start(options, System.getenv());
        } catch (ConfigException e) {
            System.err.println("runstream: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Runstream ...");
            stack.close();
            System.out.println("Runstream stopped.");
            stopped.countDown();
        }, "runstream-shutdown"));
        stack.printEndpoints(System.out);
        System.out.println("Runstream is up. Press Ctrl-C to stop.");
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
