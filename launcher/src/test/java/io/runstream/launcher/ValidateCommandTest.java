package io.runstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class ValidateCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream original;

    @BeforeEach
    void captureOutput() {
        original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setOut(original);
    }

    @Test
    void exitsZeroForValidFiles(@TempDir Path dir) throws IOException {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "dedup: {window: 2m}\n");
        Path runbooks = Files.writeString(dir.resolve("runbooks.yaml"), "recovery: {hold: 5m}\n");

        int exit = run("validate", "--rules", rules.toString(), "--runbooks", runbooks.toString());

        assertThat(exit).isZero();
        assertThat(output()).contains("rules.yaml: valid (", "runbooks.yaml: valid (9 runbooks)");
    }

    @Test
    void exitsOneAndPrintsEveryProblemWithItsLine(@TempDir Path dir) throws IOException {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "dedup:\n  window: soon\n");
        Path runbooks = Files.writeString(dir.resolve("runbooks.yaml"), "runbooks:\n  - name: x\n    steps: []\n");

        int exit = run("validate", "--rules", rules.toString(), "--runbooks", runbooks.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(output()).contains("rules.yaml line 2", "'soon' is not a duration", "runbooks.yaml line 2",
                "runbooks[0].match: required but missing");
    }

    @Test
    void exitsTwoWithoutAFileAndOneForAMissingFile(@TempDir Path dir) {
        assertThat(run("validate")).isEqualTo(2);
        assertThat(run("validate", "--rules", dir.resolve("nope.yaml").toString())).isEqualTo(1);
        assertThat(output()).contains("nope.yaml: cannot be read");
    }

    @Test
    void warnsOfEachStepWhoseChannelTheWorkersCannotReachWithTheKeyThatFixesIt(@TempDir Path dir) throws IOException {
        // given: workers with Slack and tickets, and a PagerDuty routing key for the on-call only
        Path workers = Files.writeString(dir.resolve("workers.yaml"), """
                notifications:
                  pagerduty:
                    routingKeys: {on-call: r0utingkey0ncall}
                """);
        Map<String, String> environment = Map.of(
                "RUNSTREAM_NOTIFICATIONS_SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/x",
                "RUNSTREAM_NOTIFICATIONS_TICKET_URL", "https://tickets.example.com/hooks/runstream");

        // when: the built-in runbooks are checked against them
        int exit = run(environment, "validate", "--workers-config", workers.toString());

        // then: a warning for each page above the on-call, naming where it comes from and the key to set
        assertThat(exit).isZero();
        assertThat(output()).contains("notification channels: 5 use(s)",
                "warning: escalation P1 step page-tech-lead: PAGE pagerduty/tech-lead reaches no one",
                "notifications.pagerduty.routingKeys.tech-lead (RUNSTREAM_NOTIFICATIONS_PAGERDUTY_ROUTING_KEYS_TECH_LEAD)",
                "warning: escalation P1 step page-vp-engineering: PAGE pagerduty/vp-engineering reaches no one")
                .doesNotContain("page-on-call:", "slack/", "ticket/");
    }

    @Test
    void aWorkersConfigurationThatDoesNotLoadIsAProblem(@TempDir Path dir) throws IOException {
        Path workers = Files.writeString(dir.resolve("workers.yaml"), "notifications:\n  pagerdooty: {}\n");

        assertThat(run(Map.of(), "validate", "--workers-config", workers.toString())).isEqualTo(1);
        assertThat(output()).contains("workers.yaml: unknown configuration key", "pagerdooty");
        assertThat(run(Map.of(), "validate", "--workers-config", dir.resolve("nope.yaml").toString())).isEqualTo(1);
        assertThat(output()).contains("nope.yaml: cannot be read");
    }

    private static int run(String... args) {
        return run(Map.of(), args);
    }

    /** Runs the CLI with {@code environment} as the one the workers' configuration is read with. */
    private static int run(Map<String, String> environment, String... args) {
        CommandLine cli = new CommandLine(new RunstreamCli());
        ((ValidateCommand) cli.getSubcommands().get("validate").getCommand()).environment = environment;
        return cli.execute(args);
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
