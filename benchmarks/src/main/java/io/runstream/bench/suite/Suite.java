package io.runstream.bench.suite;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import io.runstream.bench.ProcessorBenchmark;
import io.runstream.bench.ingest.IngestComparison;
import io.runstream.kafka.EmbeddedKafkaBroker;

/**
 * {@code java -jar benchmarks/target/benchmarks.jar suite [--quick] [--out-dir DIR]}: every figure of issue 8 in
 * one run on this machine, all on 127.0.0.1: the broker's own limit, ingest beside Alertmanager, remote_write,
 * the stream processor with both guarantees, alert-to-action latency beside Alertmanager's, the scaling curves;
 * then the report (latest.json, latest.md, latest.png). One broker serves every stage that needs one.
 */
public final class Suite {

    /** The processor's JFR recording: beside the build, not in the report (it is megabytes). */
    static final java.nio.file.Path JFR_FILE = java.nio.file.Path.of("benchmarks/target/suite-processor.jfr");

    private Suite() {
    }

    public static void main(String[] args) throws Exception {
        SuiteSettings settings = SuiteSettings.parse(args);
        SuiteResults results = new SuiteResults();
        results.settings = settings;
        results.startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        results.machine = Machine.describe();
        results.loadBefore = Machine.loadAverage();
        Consumer<String> log = Suite::log;
        log("suite (" + (settings.quick() ? "quick" : "full") + ") on " + results.machine + ", load average "
                + results.loadBefore);
        long start = System.nanoTime();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
            stage(results, settings.runs("limit"), "1 broker limit", () -> results.limit = BrokerLimit.measure(broker,
                    settings.limitSampleRecords(), settings.limitAlertRecords(), log));
            stage(results, settings.runs("ingest"), "2-3 ingest and remote_write", () -> results.ingest = IngestComparison.run(
                    broker.bootstrapServers(), new IngestComparison.Settings(settings.ingestRuns(),
                            settings.ingestWarmup(), settings.ingestMeasured(), settings.ingestJitWarmup(), 8, 100,
                            2000), log));
            stage(results, settings.runs("processor"), "4 processor", () -> processor(broker, settings, results, log));
            stage(results, settings.runs("instances"), "6 instances", () -> {
                results.oneInstance = InstanceScaling.samplesPerSecond(broker, 1, settings.scalingSamples(),
                        settings.commitMs(), log);
                results.twoInstances = InstanceScaling.samplesPerSecond(broker, 2, settings.scalingSamples(),
                        settings.commitMs(), log);
            });
            stage(results, settings.runs("latency"), "5 latency, Runstream", () -> results.runstreamLatency = EndToEndLatency.measure(broker,
                    settings, log));
        }
        stage(results, settings.runs("latency"), "5 latency, Alertmanager", () -> results.alertmanagerLatency = AlertmanagerLatency.measure(
                settings, log));
        stage(results, settings.runs("incidents"), "6 open incidents", () -> results.incidents = IncidentScaling.measure(
                settings.openIncidents(), settings.punctuationsPerLevel(), log));
        results.wallSeconds = Waits.secondsSince(start);
        results.loadAfter = Machine.loadAverage();
        if (!settings.allStages()) {
            log(String.format(Locale.ROOT, "stages %s done in %.1f minutes; no report from a partial run",
                    settings.stages(), results.wallSeconds / 60));
            System.exit(0);
        }
        List<Figure> figures = FigureTable.from(results);
        SuiteReport.write(results, figures);
        for (Figure figure : figures) {
            log(String.format(Locale.ROOT, "%-14s %s: %s | %s | %s%s", figure.stage(), figure.figure(),
                    SuiteReport.format(figure.runstream()), SuiteReport.format(figure.peer()),
                    Double.isFinite(figure.ratio()) ? String.format(Locale.ROOT, "%.2f", figure.ratio()) : "",
                    figure.met() == null ? "" : figure.met() ? " | goal met" : " | goal NOT met"));
        }
        log(String.format(Locale.ROOT, "done in %.1f minutes, load average %s; report in %s", results.wallSeconds / 60,
                results.loadAfter, settings.outDir().resolve("latest.md")));
        // Kafka's and Jetty's non-daemon threads of closed clients can linger; the report is written.
        System.exit(0);
    }

    /**
     * First one exactly_once_v2 run under JFR, not counted: it is also the JIT's warm-up, and the recording slows
     * it (it measured a third of the counted runs' rate). Then both guarantees, alternating run by run.
     */
    private static void processor(EmbeddedKafkaBroker broker, SuiteSettings settings, SuiteResults results,
            Consumer<String> log) throws Exception {
        JfrProfile profile = new JfrProfile();
        ProcessorBenchmark.RunResult profiled = ProcessorBenchmark.runOnce(broker, settings.processorSamples(),
                settings.commitMs(), "exactly_once_v2", settings.topology(), profile);
        results.profile = profile.summarize(JFR_FILE);
        results.profiledRate = profiled.processRate();
        log.accept(String.format(Locale.ROOT, "profiled run (JIT warm-up, under JFR, not counted) exactly_once_v2: "
                + "%,.0f samples/s", profiled.processRate()));
        log.accept("JFR " + JFR_FILE + ": threads " + results.profile.shareByThread()
                + "; stream thread by owner " + results.profile.shareByOwner());
        for (int run = 1; run <= settings.processorRuns(); run++) {
            ProcessorBenchmark.RunResult eos = ProcessorBenchmark.runOnce(broker, settings.processorSamples(),
                    settings.commitMs(), "exactly_once_v2", settings.topology(), ProcessorBenchmark.MeasuredWindow.NONE);
            results.exactlyOnce.add(eos);
            log.accept(String.format(Locale.ROOT, "run %d exactly_once_v2: %,.0f samples/s", run, eos.processRate()));
            ProcessorBenchmark.RunResult alos = ProcessorBenchmark.runOnce(broker, settings.processorSamples(),
                    settings.commitMs(), "at_least_once", settings.topology(), ProcessorBenchmark.MeasuredWindow.NONE);
            results.atLeastOnce.add(alos);
            log.accept(String.format(Locale.ROOT, "run %d at_least_once:   %,.0f samples/s", run, alos.processRate()));
        }
    }

    private interface Stage {
        void run() throws Exception;
    }

    private static void stage(SuiteResults results, boolean selected, String name, Stage stage) throws Exception {
        if (!selected) {
            return;
        }
        log("stage " + name + " ...");
        long start = System.nanoTime();
        stage.run();
        double seconds = Waits.secondsSince(start);
        results.stageSeconds.put(name, Math.round(seconds * 10) / 10.0);
        log(String.format(Locale.ROOT, "stage %s took %.0f s", name, seconds));
    }

    private static void log(String line) {
        System.out.println(LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS) + " " + line);
    }

}
