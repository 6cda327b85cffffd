package io.runstream.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.runstream.common.config.ConfigException;
import io.runstream.launcher.api.IncidentApiClient;
import io.runstream.launcher.scenario.IngestClient;
import io.runstream.launcher.scenario.KafkaRolloutAnnouncer;
import io.runstream.launcher.scenario.Scenario;
import io.runstream.launcher.scenario.ScenarioException;
import io.runstream.launcher.scenario.ScenarioRunner;
import io.runstream.launcher.scenario.Scenarios;
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

    @Option(names = "--kubeconfig", paramLabel = "PATH", description = "Let the action workers act on this cluster "
            + "(still dry-run unless --enforce) and watch its rollouts. Without it there is no cluster: Kubernetes "
            + "actions answer DRY_RUN.")
    Path kubeconfig;

    @Option(names = "--enforce", description = "With --kubeconfig: remediations really change the cluster.")
    boolean enforce;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Where to write the incident API's write "
            + "token made for this run when neither RUNSTREAM_API_WRITE_TOKEN nor RUNSTREAM_API_WRITE_TOKEN_FILE is set "
            + "(default: ~/.runstream/api-write-token).")
    Path tokenFile;

    @Option(names = "--scenario", paramLabel = "NAME", description = "Once up, replay this built-in story: "
            + "bad-rollout, latency-saturation, drift, flapping. Uses demo escalation and recovery timings unless "
            + "RUNSTREAM_RUNBOOKS_FILE is set.")
    String scenario;

    @Option(names = "--speed", defaultValue = "10", description = "Scenario time per wall-clock time "
            + "(default ${DEFAULT-VALUE}: ten minutes of story per minute; 1: real time).")
    double speed;

    @Option(names = "--approve-after", defaultValue = "30s", description = "How long a scenario step awaiting "
            + "approval waits for you (dashboard or runstream approve) before the scenario approves it "
            + "(default ${DEFAULT-VALUE}).")
    String approveAfter;

    @Option(names = "--log-file", paramLabel = "FILE", description = "Where the broker's and the services' log goes "
            + "(default: ~/.runstream/logs/run-<time>.log); errors also go to stderr.")
    Path logFile;

    @Option(names = "--verbose", description = "Log to the terminal instead of the log file.")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        Scenario story = null;
        ScenarioPace pace;
        try {
            pace = ScenarioPace.of(speed, approveAfter);
        } catch (IllegalArgumentException e) {
            System.err.println("runstream: " + e.getMessage());
            return 2;
        }
        if (scenario != null) {
            story = Scenarios.named(scenario).orElse(null);
            if (story == null) {
                System.err.println("runstream: unknown scenario '" + scenario + "'; one of " + Scenarios.names());
                return 2;
            }
        }
        if (kubeconfig != null && !Files.isReadable(kubeconfig)) {
            System.err.println("runstream: cannot read the kubeconfig " + kubeconfig);
            return 2;
        }
        if (enforce && kubeconfig == null) {
            System.err.println("runstream: --enforce needs --kubeconfig: without a cluster there is nothing to enforce on");
            return 2;
        }
        if (!verbose) {
            Path log = logFile != null ? logFile : RunLog.defaultFile();
            RunLog.toFile(log);
            System.out.printf("%-24s %s (--verbose shows it here)%n", "log", log.toAbsolutePath());
        }
        Map<String, String> environment = System.getenv();
        String token = null;
        Path writtenToken = null;
        if (!WriteToken.configured(environment)) {
            token = WriteToken.generate();
            writtenToken = tokenFile != null ? tokenFile : WriteToken.defaultFile();
            WriteToken.write(writtenToken, token);
        }
        Path runbooks = story != null && environment.getOrDefault("RUNSTREAM_RUNBOOKS_FILE", "").isBlank()
                ? demoRunbooks() : null;
        StackOptions options = new StackOptions(bootstrapServers, kafkaDataDir, kafkaPort, ephemeralPorts, kubeconfig,
                enforce, token, runbooks);
        Stack stack;
        try {
            stack = Stack.start(options, environment);
        } catch (ConfigException e) {
            System.err.println("runstream: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread scenarioThread = story == null ? null : scenarioThread(stack, story, token, pace);
        Path tokenToRemove = writtenToken;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Runstream ...");
            if (scenarioThread != null) {
                scenarioThread.interrupt();
            }
            stack.close();
            deleteQuietly(tokenToRemove);
            deleteQuietly(runbooks);
            System.out.println("Runstream stopped.");
            stopped.countDown();
        }, "runstream-shutdown"));
        stack.printEndpoints(System.out);
        if (writtenToken != null) {
            System.out.printf("%-24s in %s (for runstream ack/resolve/approve and the dashboard's Tokens form)%n",
                    "API write token", writtenToken);
        }
        System.out.println("Runstream is up. Press Ctrl-C to stop.");
        System.out.flush();
        if (scenarioThread != null) {
            scenarioThread.start();
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static Thread scenarioThread(Stack stack, Scenario story, String token, ScenarioPace pace) {
        URI ingest = stack.endpoint("ingest health").resolve("/");
        URI api = stack.endpoint("incident API").resolve("/");
        URI dashboard = stack.endpoint("dashboard");
        URI processorHealth = stack.endpoint("processor health");
        Thread thread = new Thread(() -> {
            try (KafkaRolloutAnnouncer rollouts = new KafkaRolloutAnnouncer(stack.kafka().clientProperties(),
                    stack.kafka().topicPrefix())) {
                Ready.await(processorHealth, Duration.ofMinutes(2));
                new ScenarioRunner(new IngestClient(ingest, null), new IncidentApiClient(api,
                        token != null ? token : readToken(), ReadToken.read(null, System.getenv()),
                        Duration.ofSeconds(30), Clock.systemUTC()), dashboard, rollouts, pace.speed(), pace.approveAfter())
                        .play(story, System.out);
                System.out.println("The stack keeps running: look around, then press Ctrl-C to stop.");
            } catch (ScenarioException e) {
                System.out.println("Scenario " + story.name() + " stopped: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.flush();
        }, "runstream-scenario");
        thread.setDaemon(true);
        return thread;
    }

    /** The token the environment configured for the stack, for the scenario's approvals; null if unreadable. */
    private static String readToken() {
        try {
            return WriteToken.read(null, System.getenv());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The shipped demo runbooks file, copied where the stream processor can read it. */
    static Path demoRunbooks() throws IOException {
        Path file = Files.createTempFile("runstream-scenario-runbooks", ".yaml");
        try (InputStream in = RunCommand.class.getResourceAsStream("/scenario-runbooks.yaml")) {
            if (in == null) {
                throw new IOException("scenario-runbooks.yaml is missing from the launcher jar");
            }
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                System.err.println("could not delete " + file + ": " + e.getMessage());
            }
        }
    }
}
