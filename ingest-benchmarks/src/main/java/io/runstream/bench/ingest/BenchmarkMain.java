package io.runstream.bench.ingest;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

import io.runstream.common.http.HttpSettings;
import io.runstream.common.kafka.KafkaSettings;
import io.runstream.ingest.IngestConnector;
import io.runstream.ingest.IngestConnectorConfig;
import io.runstream.ingest.IngestSettings;
import io.runstream.kafka.EmbeddedKafkaBroker;
import io.runstream.testing.peers.AlertmanagerPeer;

/**
 * {@code java -jar ingest-benchmarks/target/ingest-benchmarks.jar ingest [--runs=3] [--seconds=10] [--warmup=3]
 * [--concurrency=8] [--batch=100] [--samples=2000] [--jit-warmup=40] [--only=...] [--kafka.<producer setting>=<value>]}: starts a real broker and the ingest connector in this
 * JVM and Debian's Alertmanager beside it, all on 127.0.0.1, then, for each run in turn, drives the connector's
 * webhook, Alertmanager's API v2 (same client, batch and concurrency) and remote_write flat out; then each
 * endpoint at half its median rate for latency. Prints every run and a table of medians.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !"ingest".equals(args[0])) {
            System.err.println("usage: ingest-benchmarks.jar ingest [--runs=3] [--seconds=10] [--warmup=3] "
                    + "[--jit-warmup=40] [--concurrency=8] [--batch=100] [--samples=2000] "
                    + "[--only=webhook,alertmanager,remote_write,half] [--kafka.<producer setting>=<value>]");
            System.exit(2);
        }
        Map<String, String> options = options(args);
        int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
        Duration measured = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "10")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "3")));
        // Before any run: every path driven this long, so the JIT has compiled the connector's, the broker's and
        // the client's hot code; without it the first runs measure the compiler.
        Duration jitWarmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("jit-warmup", "40")));
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "8"));
        int batch = Integer.parseInt(options.getOrDefault("batch", "100"));
        int samples = Integer.parseInt(options.getOrDefault("samples", "2000"));
        // e.g. --only=remote_write to profile one path; the table then shows only what ran.
        List<String> phases = List.of(options.getOrDefault("only", "webhook,alertmanager,remote_write,half").split(","));
        System.out.printf(Locale.ROOT, "runs=%d seconds=%d warmup=%d jit-warmup=%d concurrency=%d batch=%d samples=%d cores=%d jdk=%s%n",
                runs, measured.toSeconds(), warmup.toSeconds(), jitWarmup.toSeconds(), concurrency, batch, samples,
                Runtime.getRuntime().availableProcessors(), Runtime.version());

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start();
                IngestConnector connector = startConnector(broker.bootstrapServers(), producerOverrides(options));
                AlertmanagerPeer alertmanager = AlertmanagerPeer.startTemporary(AlertmanagerPeer.BLACKHOLE_CONFIG)) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            List<HttpRequest> webhook = Workload.webhook(connector.uri().resolve("/api/v1/alertmanager"), batch, 100);
            List<HttpRequest> amApi = Workload.alertmanagerApi(alertmanager.uri().resolve("/api/v2/alerts"), batch, 100);
            List<HttpRequest> remoteWrite = Workload.remoteWrite(connector.uri().resolve("/api/v1/write"), samples, 50);

            LongSupplier jvmCpu = CpuTime::thisJvm;
            LongSupplier amCpu = CpuTime.ofProcess(alertmanager.pid());
            LongSupplier clientAndAmCpu = () -> jvmCpu.getAsLong() + amCpu.getAsLong();
            for (int i = 0; i < 2; i++) {
                print(ClosedLoop.run("jit warm-up webhook", client, webhook, batch, concurrency, Duration.ZERO,
                        jitWarmup.dividedBy(4), jvmCpu));
                print(ClosedLoop.run("jit warm-up remote_write", client, remoteWrite, samples, concurrency,
                        Duration.ZERO, jitWarmup.dividedBy(4), jvmCpu));
            }
            List<RunResult> webhookRuns = new ArrayList<>();
            List<RunResult> amRuns = new ArrayList<>();
            List<RunResult> rwRuns = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                if (phases.contains("webhook")) {
                    webhookRuns.add(print(ClosedLoop.run("run " + run + " connector webhook", client, webhook, batch,
                            concurrency, warmup, measured, jvmCpu)));
                }
                if (phases.contains("alertmanager")) {
                    amRuns.add(print(ClosedLoop.run("run " + run + " alertmanager api v2", client, amApi, batch,
                            concurrency, warmup, measured, clientAndAmCpu)));
                }
                if (phases.contains("remote_write")) {
                    rwRuns.add(print(ClosedLoop.run("run " + run + " connector remote_write", client, remoteWrite,
                            samples, concurrency, warmup, measured, jvmCpu)));
                }
            }
            if (!phases.contains("half") || webhookRuns.isEmpty() || amRuns.isEmpty() || rwRuns.isEmpty()) {
                return;
            }
            double webhookRate = median(webhookRuns, RunResult::itemsPerSecond);
            double rwRate = median(rwRuns, RunResult::itemsPerSecond);
            List<RunResult> webhookHalf = new ArrayList<>();
            List<RunResult> rwHalf = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                webhookHalf.add(print(FixedRate.run("run " + run + " webhook at half load", client, webhook, batch,
                        webhookRate / 2 / batch, warmup, measured, jvmCpu)));
                rwHalf.add(print(FixedRate.run("run " + run + " remote_write at half load", client, remoteWrite,
                        samples, rwRate / 2 / samples, warmup, measured, jvmCpu)));
            }
            printTable(webhookRuns, amRuns, rwRuns, webhookHalf, rwHalf);
        }
    }

    /** {@code --kafka.compression.type=none} and the like: producer settings to try against the defaults. */
    private static Map<String, String> producerOverrides(Map<String, String> options) {
        Map<String, String> overrides = new HashMap<>();
        options.forEach((key, value) -> {
            if (key.startsWith("kafka.")) {
                overrides.put(key.substring("kafka.".length()), value);
            }
        });
        if (!overrides.isEmpty()) {
            System.out.println("producer overrides: " + overrides);
        }
        return overrides;
    }

    static IngestConnector startConnector(String bootstrapServers, Map<String, String> producerOverrides) {
        IngestSettings ingest = new IngestSettings(10L * 1024 * 1024, 32, Duration.ofSeconds(10),
                Duration.ofSeconds(5), null, null);
        IngestConnector connector = new IngestConnector(new IngestConnectorConfig(
                new KafkaSettings(bootstrapServers, "bench.", 6, (short) 1, producerOverrides), HttpSettings.loopback(), ingest));
        connector.start();
        return connector;
    }

    private static void printTable(List<RunResult> webhook, List<RunResult> am, List<RunResult> rw,
            List<RunResult> webhookHalf, List<RunResult> rwHalf) {
        double webhookRate = median(webhook, RunResult::itemsPerSecond);
        double amRate = median(am, RunResult::itemsPerSecond);
        double rwRate = median(rw, RunResult::itemsPerSecond);
        System.out.println();
        System.out.println("| figure (median of " + webhook.size() + " runs) | Runstream | Alertmanager or goal | ratio |");
        System.out.println("|---|---:|---:|---:|");
        row("webhook alerts/s vs Alertmanager API v2", webhookRate, amRate);
        row("webhook alerts/s vs goal (2x Alertmanager)", webhookRate, 2 * amRate);
        row("webhook p50 / p99 ms (flat out)", median(webhook, RunResult::p50Millis), median(webhook, RunResult::p99Millis));
        row("Alertmanager p50 / p99 ms (flat out)", median(am, RunResult::p50Millis), median(am, RunResult::p99Millis));
        row("remote_write samples/s vs goal", rwRate, 300_000);
        row("CPU us per alert: connector JVM (with broker) vs Alertmanager (+ same client)",
                median(webhook, RunResult::cpuMicrosPerItem), median(am, RunResult::cpuMicrosPerItem));
        row("CPU us per sample: connector JVM (with broker)", median(rw, RunResult::cpuMicrosPerItem), Double.NaN);
        row("webhook p99 ms at half load vs goal", median(webhookHalf, RunResult::p99Millis), 50);
        row("remote_write p99 ms at half load vs goal", median(rwHalf, RunResult::p99Millis), 50);
    }

    private static void row(String figure, double ours, double theirs) {
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.2f |%n", figure, ours, theirs, ours / theirs);
    }

    private static RunResult print(RunResult result) {
        System.out.println(result);
        return result;
    }

    static double median(List<RunResult> results, ToDoubleFunction<RunResult> figure) {
        double[] values = results.stream().mapToDouble(figure).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String[] pair = args[i].replaceFirst("^--", "").split("=", 2);
            options.put(pair[0], pair.length > 1 ? pair[1] : "true");
        }
        return options;
    }
}
