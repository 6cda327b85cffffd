package io.runstream.bench.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.runstream.bench.ProcessorBenchmark;
import io.runstream.bench.ingest.IngestComparison;

/** Everything one suite run measured, filled in stage by stage. */
final class SuiteResults {

    SuiteSettings settings;
    String startedAt;
    double wallSeconds;
    Map<String, Object> machine;
    String loadBefore;
    String loadAfter;
    BrokerLimit.Result limit;
    IngestComparison.Figures ingest;
    final List<ProcessorBenchmark.RunResult> exactlyOnce = new ArrayList<>();
    final List<ProcessorBenchmark.RunResult> atLeastOnce = new ArrayList<>();
    JfrProfile.Summary profile;
    /** The uncounted exactly_once_v2 run under JFR. */
    double profiledRate = Double.NaN;
    LatencySummary runstreamLatency;
    LatencySummary alertmanagerLatency;
    double oneInstance;
    double twoInstances;
    List<IncidentScaling.Level> incidents = List.of();
    final Map<String, Double> stageSeconds = new java.util.LinkedHashMap<>();

    double exactlyOnceMedian() {
        return median(exactlyOnce);
    }

    double atLeastOnceMedian() {
        return median(atLeastOnce);
    }

    private static double median(List<ProcessorBenchmark.RunResult> runs) {
        double[] rates = runs.stream().mapToDouble(ProcessorBenchmark.RunResult::processRate).sorted().toArray();
        if (rates.length == 0) {
            return Double.NaN;
        }
        int middle = rates.length / 2;
        return rates.length % 2 == 1 ? rates[middle] : (rates[middle - 1] + rates[middle]) / 2;
    }
}
