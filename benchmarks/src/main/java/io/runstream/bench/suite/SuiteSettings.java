package io.runstream.bench.suite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.runstream.processor.StreamsSettings;

/**
 * How big each stage of the suite is. {@link #fullRun()} is the documented run (about 8 minutes on a quiet 2-core
 * machine); {@link #quickRun()} runs every stage with tiny sizes, for checking that the suite works end to end.
 * {@code topology} is how the processor runs in stages 4 to 6b: split (detection's application takes the samples,
 * the incident stages' application the alerts) or single (one application), the processor's default unless
 * {@code --topology} says otherwise.
 */
record SuiteSettings(boolean quick, Path outDir,
        int limitSampleRecords, int limitAlertRecords,
        int ingestRuns, Duration ingestWarmup, Duration ingestMeasured, Duration ingestJitWarmup,
        int processorSamples, int processorRuns, int commitMs,
        int scalingSamples,
        int latencyAlertsPerSecond, int latencyBackgroundSamplesPerSecond, Duration latencyWarmup,
        Duration latencyMeasured,
        List<Integer> openIncidents, int punctuationsPerLevel, Set<String> stages, String topology) {

    /** Stage names for {@code --stages}; a run of fewer than all of them writes no report. */
    static final List<String> STAGES = List.of("limit", "ingest", "processor", "instances", "latency",
            "incidents");
    /** {@code --topology}: how the processor under test runs (its {@code streams.topology}). */
    static final List<String> TOPOLOGIES = List.of(StreamsSettings.SPLIT, StreamsSettings.SINGLE);

    boolean runs(String stage) {
        return stages.contains(stage);
    }

    boolean allStages() {
        return stages.containsAll(STAGES);
    }

    static SuiteSettings fullRun() {
        return new SuiteSettings(false, Path.of("docs/benchmarks"),
                500_000, 200_000,
                2, Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofSeconds(20),
                400_000, 2, 100,
                300_000,
                50, 10_000, Duration.ofSeconds(15), Duration.ofSeconds(30),
                List.of(10, 1_000, 100_000), 50, Set.copyOf(STAGES), StreamsSettings.DEFAULT_TOPOLOGY);
    }

    static SuiteSettings quickRun() {
        return new SuiteSettings(true, Path.of("benchmarks/target/quick"),
                50_000, 20_000,
                1, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2),
                20_000, 1, 100,
                20_000,
                20, 1_000, Duration.ofSeconds(2), Duration.ofSeconds(4),
                List.of(10, 100, 1_000), 20, Set.copyOf(STAGES), StreamsSettings.DEFAULT_TOPOLOGY);
    }

    /**
     * {@code --quick} picks the small sizes; {@code --out-dir DIR} moves the report; {@code --stages a,b} runs only
     * those stages (for working on one; no report is written).
     */
    static SuiteSettings parse(String[] args) {
        SuiteSettings settings = fullRun();
        Path outDir = null;
        Set<String> stages = null;
        String topology = settings.topology;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> settings = quickRun();
                case "--out-dir" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--out-dir needs a directory");
                    }
                    outDir = Path.of(args[++i]);
                }
                case "--stages" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--stages needs a list of " + STAGES);
                    }
                    stages = Set.of(args[++i].split(","));
                    if (!STAGES.containsAll(stages)) {
                        throw new IllegalArgumentException("--stages takes names from " + STAGES);
                    }
                }
                case "--topology" -> {
                    if (i + 1 >= args.length || !TOPOLOGIES.contains(args[i + 1])) {
                        throw new IllegalArgumentException("--topology takes one of " + TOPOLOGIES);
                    }
                    topology = args[++i];
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: suite [--quick] [--out-dir DIR] [--stages " + String.join(",", STAGES)
                        + "] [--topology split|single]");
            }
        }
        return settings.with(outDir == null ? settings.outDir : outDir, stages == null ? settings.stages : stages,
                topology);
    }

    /** True when the processor runs detection and the incident stages as two applications. */
    boolean split() {
        return StreamsSettings.SPLIT.equals(topology);
    }

    SuiteSettings with(Path dir, Set<String> onlyStages, String processorTopology) {
        return new SuiteSettings(quick, dir, limitSampleRecords, limitAlertRecords, ingestRuns, ingestWarmup,
                ingestMeasured, ingestJitWarmup, processorSamples, processorRuns, commitMs, scalingSamples,
                latencyAlertsPerSecond, latencyBackgroundSamplesPerSecond, latencyWarmup, latencyMeasured,
                openIncidents, punctuationsPerLevel, onlyStages, processorTopology);
    }
}
