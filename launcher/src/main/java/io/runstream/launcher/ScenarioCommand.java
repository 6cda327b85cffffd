package io.runstream.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

import io.runstream.launcher.api.ApiException;
import io.runstream.launcher.api.IncidentApiClient;
import io.runstream.launcher.scenario.IngestClient;
import io.runstream.launcher.scenario.KafkaRolloutAnnouncer;
import io.runstream.launcher.scenario.RolloutAnnouncer;
import io.runstream.launcher.scenario.Scenario;
import io.runstream.launcher.scenario.ScenarioException;
import io.runstream.launcher.scenario.ScenarioRunner;
import io.runstream.launcher.scenario.Scenarios;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runstream scenario NAME}: replays a built-in story into a stack that is already running, through its
 * ingest endpoints, and follows the incidents it causes through the incident API.
 */
@Command(name = "scenario", mixinStandardHelpOptions = true,
        description = {"Replay a built-in scenario into a running stack (runstream run, or the services alone).",
            "Scenarios: bad-rollout, latency-saturation, drift, flapping.",
            "Exit codes: 0 told to the end, 1 the stack refused it, 2 usage, 3 the stack cannot be reached."})
final class ScenarioCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "The scenario; leave out with --list.")
    String name;

    @Option(names = "--list", description = "List the scenarios and exit.")
    boolean list;

    @Option(names = "--ingest-url", defaultValue = "http://127.0.0.1:8081", description = "The ingest connector "
            + "(default ${DEFAULT-VALUE}).")
    URI ingestUrl;

    @Option(names = "--ingest-token-file", paramLabel = "FILE", description = "Bearer token for the connector's "
            + "endpoints when they require one (or RUNSTREAM_INGEST_TOKEN).")
    Path ingestTokenFile;

    @Option(names = "--api", defaultValue = "http://127.0.0.1:8082", description = "The incident API to follow "
            + "(default ${DEFAULT-VALUE}).")
    URI api;

    @Option(names = "--token-file", paramLabel = "FILE", description = "The API write token, to approve a step "
            + "nobody approved (else RUNSTREAM_API_WRITE_TOKEN, else ~/.runstream/api-write-token).")
    Path tokenFile;

    @Option(names = "--read-token-file", paramLabel = "FILE", description = "The API read token, when the stack "
            + "has one (else RUNSTREAM_API_READ_TOKEN).")
    Path readTokenFile;

    @Option(names = "--bootstrap-servers", description = "The stack's Kafka, to publish the story's rollout on "
            + "deployment-events (no ingest endpoint takes rollouts); without it bad-rollout has no rollout.")
    String bootstrapServers;

    @Option(names = "--topic-prefix", defaultValue = "runstream.", description = "Topic prefix (default ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--speed", defaultValue = "10", description = "Scenario time per wall-clock time "
            + "(default ${DEFAULT-VALUE}; 1: real time).")
    double speed;

    @Option(names = "--approve-after", defaultValue = "30s", description = "How long a step awaiting approval "
            + "waits for a person before the scenario approves it (default ${DEFAULT-VALUE}).")
    String approveAfter;

    @Override
    public Integer call() {
        if (list || name == null) {
            Scenarios.all().forEach(s -> spec.commandLine().getOut().printf("%-20s %s%n", s.name(), s.summary()));
            return list ? 0 : 2;
        }
        Scenario scenario = Scenarios.named(name).orElse(null);
        if (scenario == null) {
            spec.commandLine().getErr().println("runstream: unknown scenario '" + name + "'; one of " + Scenarios.names());
            return 2;
        }
        Map<String, String> env = System.getenv();
        String token;
        String ingestToken;
        String readToken;
        ScenarioPace pace;
        try {
            pace = ScenarioPace.of(speed, approveAfter);
            token = WriteToken.read(tokenFile, env);
            readToken = ReadToken.read(readTokenFile, env);
            ingestToken = ingestTokenFile != null ? WriteToken.read(ingestTokenFile, Map.of())
                    : env.get("RUNSTREAM_INGEST_TOKEN");
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("runstream: " + e.getMessage());
            return 2;
        }
        IncidentApiClient client = new IncidentApiClient(api, token, readToken, Duration.ofSeconds(30),
                Clock.systemUTC());
        try (RolloutAnnouncer rollouts = rollouts()) {
            client.list(Map.of(), 1); // fail fast, with the reason, when no stack answers
            new ScenarioRunner(new IngestClient(ingestUrl, ingestToken), client, api.resolve("/dashboard"), rollouts,
                    pace.speed(), pace.approveAfter()).play(scenario, System.out);
            return 0;
        } catch (ApiException e) {
            spec.commandLine().getErr().println("runstream: " + e.getMessage());
            return e.exitCode();
        } catch (ScenarioException e) {
            spec.commandLine().getErr().println("runstream: " + e.getMessage());
            return e.getMessage().startsWith("cannot reach") ? ApiException.UNREACHABLE : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    private RolloutAnnouncer rollouts() {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            return null;
        }
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        return new KafkaRolloutAnnouncer(props, topicPrefix);
    }
}
