package io.runstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GrafanaDashboardTest {

    @Test
    void findsTheMetricNamesOfAQueryAndNothingElse() {
        assertThat(GrafanaDashboard.metricNames("histogram_quantile(0.95, sum by (type, le) "
                + "(rate(runstream_action_execution_seconds_bucket{outcome=~\"SUCCEEDED|rate\"}[$__rate_interval])))"))
                .containsExactly("runstream_action_execution_seconds_bucket");
        assertThat(GrafanaDashboard.metricNames("sum(rate(a_total[5m])) / on (service) group_left max(b) > 0.5"))
                .containsExactly("a_total", "b");
        assertThat(GrafanaDashboard.metricNames("increase(runstream_incidents_total[1h] offset 5m)"))
                .containsExactly("runstream_incidents_total");
    }

    @Test
    void theProvisionedDashboardReadsOnlyItsProvisionedDatasource() {
        GrafanaDashboard dashboard = GrafanaDashboard.read(Repo.file(
                "deploy/compose/grafana/dashboards/runstream-pipeline.json"));

        assertThat(dashboard.expressions()).hasSizeGreaterThan(10);
        assertThat(dashboard.datasourceUids()).containsExactly("runstream-prometheus");
    }
}
