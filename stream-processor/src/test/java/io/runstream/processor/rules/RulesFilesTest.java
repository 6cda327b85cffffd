package io.runstream.processor.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runstream.avro.Severity;
import io.runstream.processor.correlation.CorrelationPolicy;
import io.runstream.processor.dedup.DedupPolicy;
import io.runstream.processor.severity.SeverityPolicy;

class RulesFilesTest {

    @TempDir
    Path dir;

    @Test
    void builtInRulesAreTheRunbooksAlerts() {
        RulesFile rules = RulesFiles.load(null);

        DetectionRule errorRate = rule(rules, "HighErrorRate");
        assertThat(errorRate.kind()).isEqualTo(RuleKind.ERROR_RATIO);
        assertThat(errorRate.range()).isEqualTo(Duration.ofMinutes(5));
        assertThat(errorRate.metric("requests")).isEqualTo("http_requests_total");
        assertThat(errorRate.errorSelector()).containsEntry("status", "5..");
        assertThat(errorRate.thresholds()).containsExactly(
                new Threshold("warning", Comparison.ABOVE, 0.01, Duration.ofMinutes(5)),
                new Threshold("critical", Comparison.ABOVE, 0.05, Duration.ofMinutes(2)));
        DetectionRule latency = rule(rules, "HighLatency");
        assertThat(latency.quantile()).isEqualTo(0.95);
        assertThat(latency.thresholds().get(0).value()).isEqualTo(1.0);
        assertThat(rule(rules, "HighMemoryUsage").thresholds().get(0).value()).isEqualTo(0.90);
        assertThat(rule(rules, "HighDiskUsage").thresholds().get(0).value()).isEqualTo(0.85);
        assertThat(rule(rules, "HighCpuUsage").kind()).isEqualTo(RuleKind.CPU_RATIO);
        assertThat(rule(rules, "PodRestart").range()).isEqualTo(Duration.ofMinutes(15));
        assertThat(rule(rules, "DataDrift").thresholds().get(0).value()).isEqualTo(0.3);
        assertThat(rule(rules, "ModelAccuracyDegraded").thresholds().get(0).value()).isEqualTo(0.05);
        DetectionRule serviceDown = rule(rules, "ServiceDown");
        assertThat(serviceDown.kind()).isEqualTo(RuleKind.GAUGE);
        assertThat(serviceDown.metric("series")).isEqualTo("up");
        assertThat(serviceDown.selection()).isEqualTo(new SeriesSelection(java.util.Map.of(), Aggregation.MIN,
                java.util.Map.of("job", "job", "instance", "instance")));
        assertThat(serviceDown.thresholds()).containsExactly(
                new Threshold("critical", Comparison.BELOW, 1, Duration.ofMinutes(1)));
        assertThat(rule(rules, "DatabaseDown").selection().selector()).containsEntry("job", "postgres");
        assertThat(rule(rules, "ServiceSilent").kind()).isEqualTo(RuleKind.ABSENT);
        assertThat(rule(rules, "ServiceSilent").range()).isEqualTo(Duration.ofMinutes(5));
        DetectionRule gpu = rule(rules, "GPUUnavailable");
        assertThat(gpu.metric("series")).isEqualTo("kube_node_status_allocatable");
        assertThat(gpu.selection().selector()).containsEntry("resource", "nvidia_com_gpu");
        assertThat(gpu.selection().aggregate()).isEqualTo(Aggregation.SUM);
        assertThat(rule(rules, "ModelLoadFailure").metric("counter")).isEqualTo("triton_model_load_failures_total");
        assertThat(rule(rules, "OOMKilled").selection().selector()).containsEntry("reason", "OOMKilled");
        DetectionRule breaker = rule(rules, "CircuitBreakerOpen");
        assertThat(breaker.metric("series")).isEqualTo("resilience4j_circuitbreaker_state");
        assertThat(breaker.selection().by()).containsExactly(java.util.Map.entry("dependency", "name"));
        assertThat(breaker.thresholds()).containsExactly(
                new Threshold("critical", Comparison.ABOVE, 0, Duration.ofMinutes(1)));
        assertThat(rules.dedup()).isEqualTo(DedupPolicy.defaults());
        assertThat(rules.correlation()).isEqualTo(CorrelationPolicy.defaults());
        assertThat(rules.severity()).isEqualTo(SeverityPolicy.defaults());
        assertThat(rules.evaluation()).isEqualTo(EvaluationSettings.defaults());
    }

    @Test
    void missingSectionsTakeTheirDefaultsAndMissingRulesTheBuiltInOnes() throws IOException {
        RulesFile rules = RulesFiles.load(write("""
                dedup:
                  window: 10m
                severity:
                  criticalServices: [inference-gateway]
                """));

        assertThat(rules.dedup().window()).isEqualTo(Duration.ofMinutes(10));
        assertThat(rules.severity().criticalServices()).containsExactly("inference-gateway");
        assertThat(rules.severity().fallback()).isEqualTo(Severity.P3);
        assertThat(rules.correlation()).isEqualTo(CorrelationPolicy.defaults());
        assertThat(rules.rules()).isEqualTo(RulesFiles.load(null).rules());
        assertThat(RulesFiles.parse("none.yaml", "rules: []").rules()).isEmpty();
    }

    @Test
    void readsACustomRuleWithLabelsAndDefaultMetrics() {
        RulesFile rules = RulesFiles.parse("rules.yaml", """
                rules:
                  - name: SlowCheckout
                    kind: latency_quantile
                    quantile: 0.99
                    thresholds:
                      - {severity: critical, above: 2.5, for: 30s}
                    labels: {team: payments}
                    annotations: {runbook_url: "https://runbooks.example/slow"}
                """);

        DetectionRule rule = rules.rules().get(0);
        assertThat(rule.metric("buckets")).isEqualTo("http_request_duration_seconds_bucket");
        assertThat(rule.range()).isEqualTo(Duration.ofMinutes(5));
        assertThat(rule.labels()).containsEntry("team", "payments");
        assertThat(rule.annotations()).containsEntry("runbook_url", "https://runbooks.example/slow");
        assertThat(rule.thresholds()).containsExactly(
                new Threshold("critical", Comparison.ABOVE, 2.5, Duration.ofSeconds(30)));
    }

    @Test
    void readsABelowThresholdAndCustomMetricNames() {
        RulesFile rules = RulesFiles.parse("rules.yaml", """
                rules:
                  - name: CheckoutErrors
                    kind: error_ratio
                    metrics: {requests: checkout_requests_total}
                    errorSelector: {code: "5..|429"}
                    thresholds: [{severity: critical, above: 0.2, for: 1m}]
                  - name: GpuMemoryLow
                    kind: memory_ratio
                    metrics: {usage: gpu_memory_used_bytes, limit: gpu_memory_total_bytes}
                    thresholds: [{severity: info, below: 0.05, for: 10m}]
                """);

        assertThat(rules.rules().get(0).metric("requests")).isEqualTo("checkout_requests_total");
        assertThat(rules.rules().get(0).errorSelector()).containsExactly(java.util.Map.entry("code", "5..|429"));
        Threshold low = rules.rules().get(1).thresholds().get(0);
        assertThat(low.comparison()).isEqualTo(Comparison.BELOW);
        assertThat(low.holds(0.01)).isTrue();
        assertThat(low.holds(0.5)).isFalse();
    }

    @Test
    void refusesLabelsDetectionSetsItselfAndBadSelectorsAndMissingQuantile() {
        assertThat(problems("""
                rules:
                  - name: SlowCheckout
                    kind: latency_quantile
                    thresholds: [{severity: warning, above: 1}]
                    labels: {service: checkout}
                  - name: CheckoutErrors
                    kind: error_ratio
                    errorSelector: {status: "5(.."}
                    metrics: {request: x_total}
                    thresholds: [{severity: warning, above: 0.01}]
                """)).containsExactly(
                "rules.yaml line 2, column 5: rules[0].quantile: required for latency_quantile (use 0.5, 0.95, 0.99)",
                "rules.yaml line 5, column 13: rules[0].labels: label 'service' is set by detection and cannot be "
                        + "overridden",
                "rules.yaml line 8, column 20: rules[1].errorSelector: '5(..' for label status is not a regular "
                        + "expression: Unclosed group",
                "rules.yaml line 9, column 14: rules[1].metrics: unknown metric role 'request' for error_ratio "
                        + "(roles: requests)");
    }

    @Test
    void readsAGaugeRuleWithSelectorAggregateAndByAndAnAbsentRule() {
        RulesFile rules = RulesFiles.parse("rules.yaml", """
                rules:
                  - name: FeatureStoreDown
                    kind: gauge
                    metrics: {series: up}
                    selector: {job: "feature-store|feast"}
                    aggregate: max
                    by: {target: instance}
                    thresholds: [{severity: critical, below: 1, for: 2m}]
                  - name: NoHeartbeat
                    kind: absent
                    range: 2m
                    metrics: {series: heartbeat_timestamp_seconds}
                    thresholds: [{severity: warning, above: 0}]
                """);

        DetectionRule down = rules.rules().get(0);
        assertThat(down.selection()).isEqualTo(new SeriesSelection(java.util.Map.of("job", "feature-store|feast"),
                Aggregation.MAX, java.util.Map.of("target", "instance")));
        DetectionRule silent = rules.rules().get(1);
        assertThat(silent.metric("series")).isEqualTo("heartbeat_timestamp_seconds");
        assertThat(silent.range()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void refusesBadSelectorsAggregatesAndGroupLabelsOfSeriesSelectingKinds() {
        assertThat(problems("""
                rules:
                  - name: BreakerOpen
                    kind: gauge
                    selector: {state: "open(", 9x: a}
                    aggregate: avg
                    by: {service: name, dependency: 0name}
                    thresholds: [{severity: critical, above: 0}]
                  - name: Silent
                    kind: absent
                    by: {job: job}
                    thresholds: [{severity: warning, below: 1}]
                  - name: Oom
                    kind: terminations
                    selector: {}
                    thresholds: [{severity: warning, above: 0}]
                  - name: Errors
                    kind: error_ratio
                    selector: {status: "5.."}
                    thresholds: [{severity: warning, above: 0.01}]
                """)).containsExactly(
                "rules.yaml line 4, column 15: rules[0].selector: 'open(' for label state is not a regular "
                        + "expression: Unclosed group",
                "rules.yaml line 4, column 15: rules[0].selector: '9x' is not a label name",
                "rules.yaml line 5, column 16: rules[0].aggregate: 'avg' is not an aggregation (use max, min, sum)",
                "rules.yaml line 6, column 9: rules[0].by: label 'service' is set by detection and cannot be "
                        + "overridden",
                "rules.yaml line 6, column 9: rules[0].by: '0name' (for dependency) is not a series label name",
                "rules.yaml line 10, column 9: rules[1].by: not used by kind absent",
                "rules.yaml line 11, column 45: rules[1].thresholds[0].below: absent is 1 while nothing arrives: "
                        + "use above: 0",
                "rules.yaml line 14, column 15: rules[2].selector: terminations needs the reason to select, e.g. "
                        + "{reason: OOMKilled}",
                "rules.yaml line 18, column 15: rules[3].selector: not used by kind error_ratio");
    }

    @Test
    void reportsAnOutOfRangeQuantileAndRangeOnce() {
        assertThat(problems("""
                rules:
                  - name: SlowCheckout
                    kind: latency_quantile
                    quantile: 95
                    range: 0s
                    thresholds: [{severity: warning, above: 1}]
                """)).containsExactly(
                "rules.yaml line 4, column 15: rules[0].quantile: 95.0 is not a quantile (use 0.5, 0.95, 0.99)",
                "rules.yaml line 5, column 12: rules[0].range: must be positive");
    }

    @Test
    void reportsABadDurationWithFileLineAndColumn() throws IOException {
        Path file = write("""
                rules:
                  - name: HighErrorRate
                    kind: error_ratio
                    thresholds:
                      - severity: warning
                        above: 0.01
                        for: 5 minutes
                """);

        assertThat(problems(file)).containsExactly(file + " line 7, column 14: rules[0].thresholds[0].for: "
                + "'5 minutes' is not a duration (use 30s, 5m, 1h)");
    }

    @Test
    void reportsAnUnknownKey() {
        assertThat(problems("""
                rules:
                  - name: HighErrorRate
                    kind: error_ratio
                    treshold: 0.05
                    thresholds: [{severity: warning, above: 0.01}]
                """)).singleElement().asString()
                .startsWith("rules.yaml line 4, column 5: rules[0].treshold: unknown key 'treshold'");
    }

    @Test
    void reportsADuplicateRuleName() {
        assertThat(problems("""
                rules:
                  - name: HighErrorRate
                    kind: error_ratio
                    thresholds: [{severity: warning, above: 0.01}]
                  - name: HighErrorRate
                    kind: error_ratio
                    thresholds: [{severity: critical, above: 0.05}]
                """)).singleElement().asString()
                .startsWith("rules.yaml line 5, column 11: rules[1].name: duplicate rule name 'HighErrorRate' "
                        + "(first at line 2");
    }

    @Test
    void reportsAWrongType() {
        assertThat(problems("""
                rules:
                  - name: HighLatency
                    kind: latency_quantile
                    quantile: 0.95
                    thresholds:
                      - severity: warning
                        above: "one second"
                """)).containsExactly("rules.yaml line 7, column 16: rules[0].thresholds[0].above: "
                + "expected a number, found the string 'one second'");
    }

    @Test
    void reportsMissingRequiredFieldsAndThresholdsOutOfRange() {
        assertThat(problems("""
                rules:
                  - name: HighMemoryUsage
                    thresholds: [{severity: warning, above: 0.9}]
                  - name: HighDiskUsage
                    kind: disk_ratio
                    thresholds: [{severity: warning, above: 85}]
                """)).containsExactly(
                "rules.yaml line 2, column 5: rules[0].kind: required but missing",
                "rules.yaml line 6, column 45: rules[1].thresholds[0].above: 85.0 is out of range for disk_ratio "
                        + "(a ratio in 0..1)");
    }

    @Test
    void collectsEveryProblemOfTheFileAtOnce() {
        List<String> problems = problems("""
                rules:
                  - name: HighErrorRate
                    kind: error_rate
                    thresholds: [{severity: warning, above: 0.01, for: 5mins}]
                  - name: DataDrift
                    kind: drift_share
                    range: 5m
                    thresholds: [{severity: warning}]
                dedup:
                  window: soon
                severity:
                  fallback: P9
                correlation: [namespace]
                """);

        assertThat(problems).hasSize(7).allSatisfy(problem -> assertThat(problem).startsWith("rules.yaml line "));
        assertThat(String.join("\n", problems))
                .contains("line 3, column 11: rules[0].kind: 'error_rate' is not a rule kind (use error_ratio,")
                .contains("line 4, column 56: rules[0].thresholds[0].for: '5mins' is not a duration")
                .contains("line 7, column 12: rules[1].range: not used by kind drift_share")
                .contains("line 8, column 18: rules[1].thresholds[0].above: give exactly one of above: or below:")
                .contains("line 10, column 11: dedup.window: 'soon' is not a duration")
                .contains("line 12, column 13: severity.fallback: 'P9' is not a priority (use P1, P2, P3, P4)")
                .contains("line 13, column 14: correlation: expected a mapping of keys to values, found a list");
    }

    @Test
    void reportsYamlThatDoesNotParse() {
        assertThat(problems("rules:\n  - name: [unclosed\n")).singleElement().asString()
                .startsWith("rules.yaml line ").contains("not valid YAML");
    }

    @Test
    void readsTheRetentionOfResolvedIncidents() {
        RulesFile rules = RulesFiles.parse("rules.yaml", "correlation: {reopenWindow: 1h, retention: 90d}\n");

        assertThat(rules.correlation().retention()).isEqualTo(Duration.ofDays(90));
        assertThat(RulesFiles.parse("rules.yaml", "dedup: {window: 5m}\n").correlation().retention())
                .isEqualTo(Duration.ofDays(30));
    }

    @Test
    void refusesARetentionShorterThanTheReopenWindow() {
        RulesFileException e = catchThrowableOfType(RulesFileException.class,
                () -> RulesFiles.parse("rules.yaml", "correlation: {reopenWindow: 2h, retention: 1h}\n"));

        assertThat(e.problems()).singleElement().asString()
                .contains("correlation.retention must be positive and at least correlation.reopenWindow (PT2H), was PT1H");
    }

    @Test
    void theExceptionMessageListsEveryProblem() {
        RulesFileException e = catchThrowableOfType(RulesFileException.class,
                () -> RulesFiles.parse("rules.yaml", "dedup: {window: x}\ncorrelation: {reopenWindow: y}\n"));
        assertThat(e.problems()).hasSize(2);
        assertThat(e.getMessage()).contains("2 problems", e.problems().get(0), e.problems().get(1));
    }

    private static DetectionRule rule(RulesFile rules, String name) {
        return rules.rules().stream().filter(rule -> rule.name().equals(name)).findFirst().orElseThrow();
    }

    private Path write(String text) throws IOException {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, text);
        return file;
    }

    private static List<String> problems(Path file) {
        return catchThrowableOfType(RulesFileException.class, () -> RulesFiles.load(file)).problems();
    }

    private static List<String> problems(String text) {
        assertThatThrownBy(() -> RulesFiles.parse("rules.yaml", text)).isInstanceOf(RulesFileException.class);
        return catchThrowableOfType(RulesFileException.class, () -> RulesFiles.parse("rules.yaml", text)).problems();
    }
}
