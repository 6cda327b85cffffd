package io.runstream.processor.detection;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runstream.processor.rules.RuleKind;
import io.runstream.processor.rules.RulesFile;
import io.runstream.testing.RequiredTool;
import io.runstream.testing.peers.PrometheusPeer;

/**
 * The reference check: the same samples loaded into a real Prometheus (Debian's 2.42, imported with promtool)
 * and evaluated by detection must give the same error ratio and latency quantiles, and the same values per
 * group for the series-selecting kinds (gauge, absent, increase, terminations), at every step. Samples sit
 * 7 s off the evaluation grid, so the range's open or closed left end (Prometheus 3 and 2 differ there) does
 * not matter. Skipped where prometheus and promtool are not installed.
 */
class PrometheusParityIT {

    private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
    private static final String[] LE = {"0.1", "0.25", "0.5", "1", "2.5", "+Inf"};
    private static final String ERROR_RATIO =
            "sum(rate(http_requests_total{status=~\"5..\"}[5m])) / sum(rate(http_requests_total[5m]))";

    @TempDir
    Path dir;

    private record Sample(String metric, Map<String, String> labels, long time, double value) {
    }

    @Test
    void errorRatioAndQuantilesEqualPrometheusOnTheSameSamples() throws Exception {
        RequiredTool.onPath("apt-get install prometheus; .ci/run does", "prometheus", "promtool");
        List<Sample> samples = scenario();
        ServiceWindow window = window(samples);
        CompiledRule errors = CompiledRule.builtIn(RuleKind.ERROR_RATIO, null);
        CompiledRule latency = CompiledRule.builtIn(RuleKind.LATENCY_QUANTILE, 0.95);

        try (Prometheus prometheus = Prometheus.start(dir, samples)) {
            int compared = 0;
            for (long step = 0; step <= 90; step++) {
                long time = START.toEpochMilli() + step * 15_000;
                compared += same(prometheus.query(ERROR_RATIO, time),
                        MetricEvaluator.errorRatio(errors, window, time), "error ratio at step " + step);
                for (double q : new double[] {0.5, 0.95, 0.99}) {
                    String query = "histogram_quantile(" + q
                            + ", sum by (le) (rate(http_request_duration_seconds_bucket[5m])))";
                    compared += same(prometheus.query(query, time),
                            MetricEvaluator.latencyQuantile(latency, q, window, time), "p" + q + " at step " + step);
                }
            }
            assertThat(compared).as("steps where both gave a value").isGreaterThan(250);
        }
    }

    /**
     * The runbooks' other detectors (issue 17) on 20 minutes of exporter series: ServiceDown's up per target, a
     * silence of every up series (absent_over_time), GPUUnavailable's sum of allocatable GPUs, CircuitBreakerOpen's
     * label-filtered gauge by breaker, ModelLoadFailure's increase by model (with a counter reset) and OOMKilled's
     * restarts matched with the last termination reason: each group's value equals Prometheus' at every step.
     */
    @Test
    void seriesSelectingDetectorsEqualPrometheusOnTheSameSamples() throws Exception {
        RequiredTool.onPath("apt-get install prometheus; .ci/run does", "prometheus", "promtool");
        List<Sample> samples = exporterScenario();
        ServiceWindow window = window(samples);
        window.state().sent("up");
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("ServiceDown", "min by (job, instance) (up)");
        queries.put("ServiceSilent", "absent_over_time(up[5m])");
        queries.put("GPUUnavailable", "sum(kube_node_status_allocatable{resource=\"nvidia_com_gpu\"})");
        queries.put("CircuitBreakerOpen", "max by (name) (resilience4j_circuitbreaker_state{state=\"open\"})");
        queries.put("ModelLoadFailure", "max by (model) (increase(triton_model_load_failures_total[10m]))");
        queries.put("OOMKilled", "max by (pod, container) (increase(kube_pod_container_status_restarts_total[10m])"
                + " and ignoring(reason) (kube_pod_container_status_last_terminated_reason{reason=\"OOMKilled\"} == 1))");
        Map<String, CompiledRule> rules = new LinkedHashMap<>();
        RulesFile.defaults().metricRules().forEach(rule -> rules.put(rule.name(), CompiledRule.of(rule)));

        try (Prometheus prometheus = Prometheus.start(dir, samples)) {
            Map<String, Integer> compared = new TreeMap<>();
            for (long step = 0; step <= 90; step++) {
                long time = START.toEpochMilli() + step * 15_000;
                for (Map.Entry<String, String> query : queries.entrySet()) {
                    CompiledRule rule = rules.get(query.getKey());
                    Map<String, Double> theirs = prometheus.queryGroups(query.getValue(), time,
                            rule.rule().selection().by());
                    Map<String, Double> ours = SeriesGroups.evaluate(rule, window, time);
                    String what = query.getKey() + " (" + query.getValue() + ") at step " + step;
                    assertThat(ours.keySet()).as(what).isEqualTo(theirs.keySet());
                    theirs.forEach((group, value) -> same(value, ours.get(group), what + " " + group));
                    compared.merge(query.getKey(), theirs.size(), Integer::sum);
                }
            }
            // Every detector had results to compare, and none only in one place.
            assertThat(compared).allSatisfy((detector, count) -> assertThat(count).as(detector).isGreaterThan(5));
        }
    }

    private static ServiceWindow window(List<Sample> samples) {
        ServiceWindow window = new ServiceWindow(EvaluationState.empty(), SampleStore.prefix("inference-gateway"));
        for (Sample sample : samples) {
            String labelsKey = Series.labelsKey(sample.labels());
            Series series = window.matching(sample.metric(), labelsKey);
            if (series == null) {
                series = window.create(sample.metric(), labelsKey, sample.labels());
            }
            series.samples().add(sample.time(), sample.value());
        }
        return window;
    }

    /**
     * 20 minutes of exporter scrapes every 15 s at 7 s past the grid. up of two targets, one failing from step 20
     * to 35, and every up series gone from step 50 to 75; allocatable GPUs of two nodes (node 1 without GPUs from
     * step 10, node 2 from 30 to 60) beside their CPUs; Resilience4j breakers (redis open from 15 to 45, postgres
     * from 25 to 30, postgres' series gone after 60); Triton load failures of resnet50 at steps 12 and 13 and
     * after a restart at 40 (counter reset); kube-state-metrics restarts of app (OOMKilled at 20 and 50) and
     * sidecar (Error at 30).
     */
    private static List<Sample> exporterScenario() {
        List<Sample> samples = new ArrayList<>();
        for (int k = 0; k <= 80; k++) {
            long time = START.toEpochMilli() + 7_000 + k * 15_000L;
            if (k < 50 || k >= 75) {
                samples.add(new Sample("up", Map.of("job", "nimify-api", "instance", "a:8000"), time,
                        k >= 20 && k < 35 ? 0 : 1));
                samples.add(new Sample("up", Map.of("job", "nimify-api", "instance", "b:8000"), time, 1));
            }
            allocatable(samples, "n1", "nvidia_com_gpu", k >= 10 ? 0 : 4, time);
            allocatable(samples, "n2", "nvidia_com_gpu", k >= 30 && k < 60 ? 0 : 8, time);
            allocatable(samples, "n1", "cpu", 32, time);
            breaker(samples, "redis", k >= 15 && k < 45, time);
            if (k <= 60) {
                breaker(samples, "postgres", k >= 25 && k < 30, time);
            }
            double resnetFailures = k < 12 ? 0 : k < 14 ? k - 11 : k < 40 ? 2 : 1;
            samples.add(new Sample("triton_model_load_failures_total", Map.of("model", "resnet50"), time,
                    resnetFailures));
            samples.add(new Sample("triton_model_load_failures_total", Map.of("model", "bert"), time, 0));
            samples.add(new Sample("kube_pod_container_status_restarts_total",
                    Map.of("pod", "p", "container", "app"), time, k < 20 ? 4 : k < 50 ? 5 : 6));
            samples.add(new Sample("kube_pod_container_status_restarts_total",
                    Map.of("pod", "p", "container", "sidecar"), time, k < 30 ? 0 : 1));
            if (k >= 20) {
                samples.add(new Sample("kube_pod_container_status_last_terminated_reason",
                        Map.of("pod", "p", "container", "app", "reason", "OOMKilled"), time, 1));
            }
            if (k >= 30) {
                samples.add(new Sample("kube_pod_container_status_last_terminated_reason",
                        Map.of("pod", "p", "container", "sidecar", "reason", "Error"), time, 1));
            }
        }
        return samples;
    }

    private static void allocatable(List<Sample> samples, String node, String resource, double value, long time) {
        samples.add(new Sample("kube_node_status_allocatable", Map.of("node", node, "resource", resource), time,
                value));
    }

    private static void breaker(List<Sample> samples, String name, boolean open, long time) {
        samples.add(new Sample("resilience4j_circuitbreaker_state", Map.of("name", name, "state", "open"), time,
                open ? 1 : 0));
        samples.add(new Sample("resilience4j_circuitbreaker_state", Map.of("name", name, "state", "closed"), time,
                open ? 0 : 1));
    }

    private static int same(double prometheus, double ours, String what) {
        if (Double.isNaN(prometheus)) {
            assertThat(ours).as(what).isNaN();
            return 0;
        }
        assertThat(ours).as(what).isCloseTo(prometheus, org.assertj.core.data.Offset.offset(
                1e-9 * Math.max(1, Math.abs(prometheus))));
        return 1;
    }

    /**
     * 20 minutes of scrapes every 15 s at 7 s past the grid: two pods' request counters with a varying load,
     * a 5xx burst, a pod restart (counter reset) and a 503 series that appears midway; latency buckets whose
     * distribution shifts upwards.
     */
    private static List<Sample> scenario() {
        List<Sample> samples = new ArrayList<>();
        Map<String, Double> counters = new TreeMap<>();
        for (int k = 0; k <= 80; k++) {
            long time = START.toEpochMilli() + 7_000 + k * 15_000L;
            if (k == 30) {
                counters.replaceAll((series, value) -> series.startsWith("a/") ? 0.0 : value);
            }
            count(samples, counters, "a", "200", (80 + 20 * Math.sin(k / 5.0)) * 15, time);
            count(samples, counters, "a", "500", (k >= 10 && k < 40 ? 12 : 2) * 15, time);
            count(samples, counters, "b", "200", 50 * 15, time);
            count(samples, counters, "b", "404", 3 * 15, time);
            if (k >= 20) {
                count(samples, counters, "b", "503", k == 20 ? 0 : 15, time);
            }
            double slow = k < 40 ? 0 : Math.min(1, (k - 40) / 20.0);
            double[] perSecond = {60 - 40 * slow, 80 - 45 * slow, 90 - 40 * slow, 96 - 30 * slow, 99 - 9 * slow, 100};
            for (int i = 0; i < LE.length; i++) {
                String key = "bucket/" + LE[i];
                double value = counters.merge(key, 1_000 + perSecond[i] * 15, Double::sum);
                samples.add(new Sample("http_request_duration_seconds_bucket",
                        Map.of("pod", "a", "le", LE[i]), time, value));
            }
        }
        return samples;
    }

    private static void count(List<Sample> samples, Map<String, Double> counters, String pod, String status,
            double increase, long time) {
        double value = counters.merge(pod + "/" + status, 10_000 + increase, (old, initial) -> old + increase);
        samples.add(new Sample("http_requests_total", Map.of("pod", pod, "status", status), time, value));
    }

    /** A Prometheus on a loopback port over blocks imported from the samples, stopped on close. */
    private static final class Prometheus implements AutoCloseable {

        private final PrometheusPeer peer;
        private final URI uri;
        private final HttpClient http = HttpClient.newHttpClient();
        private final ObjectMapper json = new ObjectMapper();

        private Prometheus(PrometheusPeer peer) {
            this.peer = peer;
            this.uri = peer.uri();
        }

        static Prometheus start(Path dir, List<Sample> samples) throws Exception {
            Path input = dir.resolve("samples.om");
            Files.writeString(input, openMetrics(samples));
            Path data = dir.resolve("data");
            Process importer = new ProcessBuilder("promtool", "tsdb", "create-blocks-from", "openmetrics",
                    input.toString(), data.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("promtool.log").toFile()).start();
            assertThat(importer.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(importer.exitValue()).as(Files.readString(dir.resolve("promtool.log"))).isZero();
            // its TSDB is the blocks just imported, kept whatever their age
            return new Prometheus(PrometheusPeer.start(dir, "global:\n  evaluation_interval: 15s\n",
                    "--storage.tsdb.retention.time=10y"));
        }

        /** The single value of an instant query at {@code time}, NaN when the result is empty. */
        double query(String promql, long time) throws IOException, InterruptedException {
            String url = uri + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                    + "&time=" + (time / 1000.0);
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode result = json.readTree(response.body()).path("data").path("result");
            assertThat(result.size()).as(response.body()).isLessThanOrEqualTo(1);
            return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).path("value").get(1).asText());
        }

        /**
         * Every series of an instant query at {@code time}, keyed as detection keys its groups: the labels named
         * in {@code by} (alert label to result label) as a {@link Series#labelsKey}.
         */
        Map<String, Double> queryGroups(String promql, long time, Map<String, String> by)
                throws IOException, InterruptedException {
            String url = uri + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                    + "&time=" + (time / 1000.0);
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = json.readTree(response.body());
            assertThat(body.path("status").asText()).as(response.body()).isEqualTo("success");
            Map<String, Double> groups = new TreeMap<>();
            for (JsonNode result : body.path("data").path("result")) {
                Map<String, String> labels = new TreeMap<>();
                by.forEach((alertLabel, resultLabel) -> {
                    String value = result.path("metric").path(resultLabel).asText("");
                    if (!value.isEmpty()) {
                        labels.put(alertLabel, value);
                    }
                });
                groups.put(Series.labelsKey(labels), Double.parseDouble(result.path("value").get(1).asText()));
            }
            return groups;
        }

        private static String openMetrics(List<Sample> samples) {
            Map<String, List<Sample>> bySeries = new LinkedHashMap<>();
            for (Sample sample : samples) {
                bySeries.computeIfAbsent(sample.metric() + Series.labelsKey(sample.labels()), key -> new ArrayList<>())
                        .add(sample);
            }
            Map<String, StringBuilder> byMetric = new LinkedHashMap<>();
            bySeries.values().forEach(series -> {
                StringBuilder lines = byMetric.computeIfAbsent(series.get(0).metric(),
                        metric -> new StringBuilder("# TYPE " + metric + " unknown\n"));
                for (Sample sample : series) {
                    StringBuilder labels = new StringBuilder();
                    new TreeMap<>(sample.labels()).forEach((name, value) ->
                            labels.append(labels.length() == 0 ? "" : ",").append(name).append("=\"").append(value)
                                    .append('"'));
                    lines.append(sample.metric()).append('{').append(labels).append("} ").append(sample.value())
                            .append(' ').append(sample.time() / 1000.0).append('\n');
                }
            });
            return String.join("", byMetric.values()) + "# EOF\n";
        }

        @Override
        public void close() {
            peer.close();
        }
    }
}
