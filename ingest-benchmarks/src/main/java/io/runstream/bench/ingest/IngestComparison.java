package io.runstream.bench.ingest;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

import io.runstream.ingest.IngestConnector;
import io.runstream.testing.peers.AlertmanagerPeer;

/**
 * The ingest figures for the benchmark suite, flat out with the same client, batch and concurrency: the
 * connector's Alertmanager webhook, Debian's Alertmanager API v2 beside it, and remote_write. The connector runs
 * in this JVM against the caller's broker; Alertmanager as a child process. Same method as {@code ingest}.
 */
public final class IngestComparison {

    /** How long and how hard: {@code runs} rounds of the three endpoints, after one JIT warm-up. */
    public record Settings(int runs, Duration warmup, Duration measured, Duration jitWarmup, int concurrency,
            int batch, int samplesPerRequest) {
    }

    /** Medians over the runs, and every run. */
    public record Figures(Median webhook, Median alertmanager, Median remoteWrite, List<RunResult> runs) {
    }

    /** One endpoint's medians: items (alerts or samples) per second, request latency, CPU per item. */
    public record Median(double itemsPerSecond, double p50Millis, double p99Millis, double cpuMicrosPerItem) {

        static Median of(List<RunResult> runs) {
            return new Median(median(runs, RunResult::itemsPerSecond), median(runs, RunResult::p50Millis),
                    median(runs, RunResult::p99Millis), median(runs, RunResult::cpuMicrosPerItem));
        }
    }

    private IngestComparison() {
    }

    public static Figures run(String bootstrapServers, Settings settings, Consumer<String> log) throws Exception {
        try (IngestConnector connector = BenchmarkMain.startConnector(bootstrapServers, Map.of());
                AlertmanagerPeer alertmanager = AlertmanagerPeer.startTemporary(AlertmanagerPeer.BLACKHOLE_CONFIG)) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            int batch = settings.batch();
            int samples = settings.samplesPerRequest();
            List<HttpRequest> webhook = Workload.webhook(connector.uri().resolve("/api/v1/alertmanager"), batch, 100);
            List<HttpRequest> amApi = Workload.alertmanagerApi(alertmanager.uri().resolve("/api/v2/alerts"), batch,
                    100);
            List<HttpRequest> remoteWrite = Workload.remoteWrite(connector.uri().resolve("/api/v1/write"), samples,
                    50);
            LongSupplier jvmCpu = CpuTime::thisJvm;
            LongSupplier amCpu = CpuTime.ofProcess(alertmanager.pid());
            LongSupplier clientAndAmCpu = () -> jvmCpu.getAsLong() + amCpu.getAsLong();
            Duration quarter = settings.jitWarmup().dividedBy(4);
            for (int i = 0; i < 2; i++) {
                log.accept(ClosedLoop.run("jit warm-up webhook", client, webhook, batch, settings.concurrency(),
                        Duration.ZERO, quarter, jvmCpu).toString());
                log.accept(ClosedLoop.run("jit warm-up remote_write", client, remoteWrite, samples,
                        settings.concurrency(), Duration.ZERO, quarter, jvmCpu).toString());
            }
            List<RunResult> webhookRuns = new ArrayList<>();
            List<RunResult> amRuns = new ArrayList<>();
            List<RunResult> rwRuns = new ArrayList<>();
            for (int run = 1; run <= settings.runs(); run++) {
                webhookRuns.add(logged(log, ClosedLoop.run("run " + run + " connector webhook", client, webhook,
                        batch, settings.concurrency(), settings.warmup(), settings.measured(), jvmCpu)));
                amRuns.add(logged(log, ClosedLoop.run("run " + run + " alertmanager api v2", client, amApi, batch,
                        settings.concurrency(), settings.warmup(), settings.measured(), clientAndAmCpu)));
                rwRuns.add(logged(log, ClosedLoop.run("run " + run + " connector remote_write", client, remoteWrite,
                        samples, settings.concurrency(), settings.warmup(), settings.measured(), jvmCpu)));
            }
            List<RunResult> all = new ArrayList<>(webhookRuns);
            all.addAll(amRuns);
            all.addAll(rwRuns);
            return new Figures(Median.of(webhookRuns), Median.of(amRuns), Median.of(rwRuns), all);
        }
    }

    private static RunResult logged(Consumer<String> log, RunResult result) {
        log.accept(result.toString());
        return result;
    }

    private static double median(List<RunResult> results, ToDoubleFunction<RunResult> figure) {
        return BenchmarkMain.median(results, figure);
    }
}
