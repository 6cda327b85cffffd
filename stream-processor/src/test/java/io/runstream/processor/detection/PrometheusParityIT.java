package io.runstream.processor.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

/**
 * The reference check: the same samples loaded into a real Prometheus (Debian's 2.42, imported with promtool)
 * and evaluated by detection must give the same error ratio and latency quantiles at every step. Samples sit
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
        assumeTrue(onPath("prometheus") && onPath("promtool"), "prometheus and promtool are not installed");
        List<Sample> samples = scenario();
        ServiceWindow window = new ServiceWindow(EvaluationState.empty(), SampleStore.prefix("inference-gateway"));
        for (Sample sample : samples) {
            String labelsKey = Series.labelsKey(sample.labels());
            Series series = window.matching(sample.metric(), labelsKey);
            if (series == null) {
                series = window.create(sample.metric(), labelsKey, sample.labels());
            }
            series.samples().add(sample.time(), sample.value());
        }
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

    private static boolean onPath(String binary) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(directory, binary))) {
                return true;
            }
        }
        return false;
    }

    /** A Prometheus on a loopback port over blocks imported from the samples, stopped on close. */
    private static final class Prometheus implements AutoCloseable {

        private final Process process;
        private final URI uri;
        private final HttpClient http = HttpClient.newHttpClient();
        private final ObjectMapper json = new ObjectMapper();

        private Prometheus(Process process, URI uri) {
            this.process = process;
            this.uri = uri;
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
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, "global:\n  evaluation_interval: 15s\n");
            int port = freePort();
            Process process = new ProcessBuilder("prometheus", "--config.file=" + config,
                    "--storage.tsdb.path=" + data, "--storage.tsdb.retention.time=10y",
                    "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            Prometheus prometheus = new Prometheus(process, URI.create("http://127.0.0.1:" + port));
            prometheus.awaitReady();
            return prometheus;
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

        private void awaitReady() {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                assertThat(process.isAlive()).as("prometheus exited").isTrue();
                try {
                    return http.send(HttpRequest.newBuilder(uri.resolve("/-/ready")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (IOException notListeningYet) {
                    return false;
                }
            });
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

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
