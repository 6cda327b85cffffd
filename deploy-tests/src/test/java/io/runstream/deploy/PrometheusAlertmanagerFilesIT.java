package io.runstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus, Alertmanager and Grafana files compose mounts, checked by the real tools of the versions compose
 * runs: Debian's promtool and amtool, from the same packages as the prometheus and prometheus-alertmanager
 * binaries the other tests start.
 */
class PrometheusAlertmanagerFilesIT {

    private static final Pattern VERSION = Pattern.compile("version (\\d+\\.\\d+\\.\\d+)");

    private final ComposeFile compose = ComposeFile.repository();

    @TempDir
    Path scratch;

    @Test
    void prometheusConfigAndItsRuleFilesAreValid() {
        Tool.Result result = Tool.run(Repo.root(), "promtool", "check", "config",
                "deploy/compose/prometheus/prometheus.yml");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: 2 rule files found");
    }

    @Test
    void everyRunbookAlertFiresAtItsThresholdInPromtoolsUnitTests() {
        Path tests = Repo.file("deploy/compose/prometheus/tests/runbook-alerts.test.yml");

        Tool.Result result = Tool.run(tests.getParent(), "promtool", "test", "rules", tests.getFileName().toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
        assertThat(testedAlertNames(tests)).as("every alert of the rules file has a unit test")
                .containsAll(alertNames(Repo.file("deploy/compose/prometheus/rules/runbook-alerts.yml")));
    }

    @Test
    void aFailedRunstreamComponentPagesInPromtoolsUnitTests() {
        Path tests = Repo.file("deploy/compose/prometheus/tests/runstream-alerts.test.yml");

        Tool.Result result = Tool.run(tests.getParent(), "promtool", "test", "rules", tests.getFileName().toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
        assertThat(testedAlertNames(tests)).as("every alert of the rules file has a unit test")
                .containsAll(alertNames(Repo.file("deploy/compose/prometheus/rules/runstream-alerts.yml")));
    }

    @Test
    void alertmanagerConfigIsValid() {
        Tool.Result result = Tool.run(Repo.root(), "amtool", "check-config",
                "deploy/compose/alertmanager/alertmanager.yml");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS").contains("1 receivers");
    }

    @Test
    void everyDashboardQueryIsValidPromql() throws IOException {
        List<String> expressions = GrafanaDashboard.read(Repo.file(
                "deploy/compose/grafana/dashboards/runstream-pipeline.json")).expressions();
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < expressions.size(); i++) {
            // Grafana replaces $__rate_interval before Prometheus sees the query.
            String expression = expressions.get(i).replace("$__rate_interval", "1m");
            rules.append("      - record: dashboard:query_").append(i).append('\n')
                    .append("        expr: '").append(expression.replace("'", "''")).append("'\n");
        }
        Path file = Files.writeString(scratch.resolve("dashboard-queries.yml"), rules);

        Tool.Result result = Tool.run(scratch, "promtool", "check", "rules", file.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + expressions.size() + " rules found");
    }

    @Test
    void composeRunsTheVersionsOfPrometheusAndAlertmanagerTheTestsRun() {
        assertThat(compose.service("prometheus").image())
                .contains("prom/prometheus:v" + version(Tool.run(scratch, "prometheus", "--version")));
        assertThat(compose.service("alertmanager").image())
                .contains("prom/alertmanager:v" + version(Tool.run(scratch, "prometheus-alertmanager", "--version")));
    }

    private static String version(Tool.Result versionOutput) {
        Matcher matcher = VERSION.matcher(versionOutput.output());
        assertThat(matcher.find()).as(versionOutput.output()).isTrue();
        return matcher.group(1);
    }

    private static Set<String> alertNames(Path rulesFile) {
        Set<String> names = new TreeSet<>();
        for (Object group : YamlMaps.list(YamlFiles.read(rulesFile).get("groups"))) {
            for (Object rule : YamlMaps.list(YamlMaps.map(group).get("rules"))) {
                names.add(String.valueOf(YamlMaps.map(rule).get("alert")));
            }
        }
        return names;
    }

    private static Set<String> testedAlertNames(Path testFile) {
        Set<String> names = new TreeSet<>();
        Map<String, Object> tests = YamlFiles.read(testFile);
        for (Object test : YamlMaps.list(tests.get("tests"))) {
            for (Object alertTest : YamlMaps.list(YamlMaps.map(test).get("alert_rule_test"))) {
                if (!YamlMaps.list(YamlMaps.map(alertTest).get("exp_alerts")).isEmpty()) {
                    names.add(String.valueOf(YamlMaps.map(alertTest).get("alertname")));
                }
            }
        }
        return names;
    }
}
