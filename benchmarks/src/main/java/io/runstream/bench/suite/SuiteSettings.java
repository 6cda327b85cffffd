package io.runstream.bench.suite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How big each stage of the suite is. {@link #fullRun()} is the documented run (about 8 minutes on a quiet 2-core
 * machine); {@link #quickRun()} runs every stage with tiny sizes, for checking that the suite works end to end.
 */
record SuiteSettings(boolean quick, Path outDir,
        int limitSampleRecords, int limitAlertRecords,
        int ingestRuns, Duration ingestWarmup, Duration ingestMeasured, Duration ingestJitWarmup,
        int processorSamples, int processorRuns, int commitMs,
        int scalingSamples,
        int latencyAlertsPerSecond, int latencyBackgroundSamplesPerSecond, Duration latencyWarmup,
        Duration latencyMeasured,
        List<Integer> openIncidents, int punctuationsPerLevel, Set<String> stages) {

    /** Stage names for {@code --stages}; a run of fewer than all of them writes no report. */
    static final List<String> STAGES = List.of("limit", "ingest", "processor", "instances", "latency",
            "incidents");

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
                List.of(10, 1_000, 100_000), 50, Set.copyOf(STAGES));
    }

    static SuiteSettings quickRun() {
        return new SuiteSettings(true, Path.of("benchmarks/target/quick"),
                50_000, 20_000,
                1, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2),
                20_000, 1, 100,
                20_000,
                20, 1_000, Duration.ofSeconds(2), Duration.ofSeconds(4),
                List.of(10, 100, 1_000), 20, Set.copyOf(STAGES));
    }

    /**
     * {@code --quick} picks the small sizes; {@code --out-dir DIR} moves the report; {@code --stages a,b} runs only
     * those stages (for working on one; no report is written).
     */
    static SuiteSettings parse(String[] args) {
        SuiteSettings settings = fullRun();
        Path outDir = null;
        Set<String> stages = null;
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
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: suite [--quick] [--out-dir DIR] [--stages " + String.join(",", STAGES) + "]");
            }
        }
        return settings.with(outDir == null ? settings.outDir : outDir, stages == null ? settings.stages : stages);
    }

    SuiteSettings with(Path dir, Set<String> onlyStages) {
        return new SuiteSettings(quick, dir, limitSampleRecords, limitAlertRecords, ingestRuns, ingestWarmup,
                ingestMeasured, ingestJitWarmup, processorSamples, processorRuns, commitMs, scalingSamples,
                latencyAlertsPerSecond, latencyBackgroundSamplesPerSecond, latencyWarmup, latencyMeasured,
                openIncidents, punctuationsPerLevel, onlyStages);
    }
}
