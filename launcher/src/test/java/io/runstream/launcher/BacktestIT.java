package io.runstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runstream.launcher.scenario.KafkaRolloutAnnouncer;
import io.runstream.launcher.scenario.ScenarioRunner;
import io.runstream.launcher.scenario.Scenarios;
import io.runstream.processor.rules.RulesFiles;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;
import picocli.CommandLine;

/**
 * {@code runstream backtest} on a recorded scenario: the bad rollout (runbook 003, 12 % of requests fail with 5xx)
 * is played through the whole stack on a real broker, then backtested against a candidate whose HighErrorRate
 * thresholds (runbook 003: warning 1 %, critical 5 %) are raised to 20 % and 25 %, above the scenario's error rate.
 */
@WithKafka
class BacktestIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Timeout(300)
    void candidateThatRaisesHighErrorRateAboveTheBadRolloutMissesItsIncidentAndItsPages(TestKafka kafka,
            @TempDir Path dir) throws Exception {
        // given the bad rollout, recorded by a stack with the scenario's runbooks
        Instant from = Instant.now().minus(Duration.ofHours(1)); // the scenario stamps its samples in the past
        String prefix;
        Path currentRunbooks = Files.move(RunCommand.demoRunbooks(), dir.resolve("current-runbooks.yaml"));
        try (TestStack stack = new TestStack(kafka, dir.resolve("state"));
                KafkaRolloutAnnouncer rollouts = new KafkaRolloutAnnouncer(stack.stack.kafka().clientProperties(),
                        stack.stack.kafka().topicPrefix())) {
            prefix = stack.stack.kafka().topicPrefix();
            new ScenarioRunner(stack.ingestClient(), stack.apiClient(), stack.api().resolve("/dashboard"), rollouts,
                    60, Duration.ofSeconds(2)).play(Scenarios.named("bad-rollout").orElseThrow(), System.out);
        }
        Instant to = Instant.now().plusSeconds(1);
        Path candidateRules = dir.resolve("candidate-rules.yaml");
        Files.writeString(candidateRules, defaultRules().replaceFirst("above: 0\\.01\\b", "above: 0.20")
                .replaceFirst("above: 0\\.05\\b", "above: 0.25"));

        // when it is backtested
        Path out = dir.resolve("report");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        BacktestCommand command = new BacktestCommand();
        command.stdout = new PrintStream(printed, true, StandardCharsets.UTF_8);
        int exit = new CommandLine(command).execute("--bootstrap-servers", kafka.bootstrapServers(),
                "--topic-prefix", prefix, "--from", from.toString(), "--to", to.toString(),
                "--current-runbooks", currentRunbooks.toString(), "--rules", candidateRules.toString(),
                "--out", out.toString());
        String table = printed.toString(StandardCharsets.UTF_8);
        System.out.println(table);

        // then the current rules find the incident and page; the candidate misses it and pages nobody
        assertThat(exit).as(table).isZero();
        JsonNode report = JSON.readTree(out.resolve("report.json").toFile()).path("report");
        JsonNode current = report.path("current");
        JsonNode candidate = report.path("candidate");
        assertThat(current.path("incidents").asInt()).as(table).isEqualTo(1);
        assertThat(candidate.path("incidents").asInt()).as(table).isZero();
        assertThat(current.path("bySeverity").path("P1").asInt()).isEqualTo(1);
        // one page to the on-call; its close-out (PagerDuty resolve, same dedup key) wakes nobody and is not counted
        assertThat(current.path("pagesByTarget").path("pagerduty/on-call").asInt()).isEqualTo(1);
        assertThat(current.path("pages").asInt()).isEqualTo(sum(current.path("pagesByTarget")));
        assertThat(candidate.path("pages").asInt()).isZero();
        assertThat(current.path("actionsByTypeAndTarget").path("ROLLOUT_UNDO Deployment/ml-prod/inference-gateway")
                .asInt()).isEqualTo(1);
        assertThat(candidate.path("actionsByTypeAndTarget").size()).isZero();

        assertThat(report.path("foundByBoth").size()).isZero();
        assertThat(report.path("onlyCandidate").size()).isZero();
        JsonNode missed = report.path("onlyCurrent");
        assertThat(missed.size()).isEqualTo(1);
        assertThat(missed.get(0).path("service").asText()).isEqualTo("inference-gateway");
        assertThat(names(missed.get(0).path("alerts"))).contains("HighErrorRate");
        assertThat(Instant.parse(missed.get(0).path("openedAt").asText())).isBetween(from, to);

        assertThat(report.path("replayed").path("recordsByTopic").path(prefix + "metric-samples").asInt()).isPositive();
        assertThat(table).startsWith("pages per week: current ").contains("found only by current (missed by the "
                + "candidate): 1", "inference-gateway", "HighErrorRate");
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("<svg", "pages per week: current", "inference-gateway").doesNotContain("<script");
    }

    private static String defaultRules() throws Exception {
        try (InputStream in = RulesFiles.class.getClassLoader().getResourceAsStream(RulesFiles.DEFAULT_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int sum(JsonNode counts) {
        int sum = 0;
        for (JsonNode count : counts) {
            sum += count.asInt();
        }
        return sum;
    }

    private static List<String> names(JsonNode alerts) {
        List<String> names = new ArrayList<>();
        alerts.forEach(alert -> names.add(alert.path("alertname").asText()));
        return names;
    }
}
