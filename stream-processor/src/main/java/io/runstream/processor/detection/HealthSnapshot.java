package io.runstream.processor.detection;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.runstream.avro.ServiceHealth;
import io.runstream.processor.rules.RuleKind;

/**
 * Measures a service's health at an evaluation for the service-health-store: error rate, p50/p95/p99, memory,
 * CPU and disk ratios and restart rate, each with the metric names and range of the service's first rule of
 * that kind (the built-in ones when there is none).
 */
final class HealthSnapshot {

    private final CompiledRule errorRatio;
    private final CompiledRule latency;
    private final CompiledRule memory;
    private final CompiledRule cpu;
    private final CompiledRule disk;
    private final CompiledRule restarts;

    HealthSnapshot(List<CompiledRule> rules) {
        errorRatio = first(rules, RuleKind.ERROR_RATIO);
        latency = first(rules, RuleKind.LATENCY_QUANTILE);
        memory = first(rules, RuleKind.MEMORY_RATIO);
        cpu = first(rules, RuleKind.CPU_RATIO);
        disk = first(rules, RuleKind.DISK_RATIO);
        restarts = first(rules, RuleKind.RESTART_RATE);
    }

    ServiceHealth measure(String service, ServiceWindow window, long time, List<String> firing) {
        Instant at = Instant.ofEpochMilli(time);
        double[][] buckets = MetricEvaluator.bucketRates(latency, window, time);
        return ServiceHealth.newBuilder()
                .setService(service)
                .setNamespace(window.state().namespace())
                .setErrorRate(orNull(MetricEvaluator.value(errorRatio, window, time)))
                .setLatencyP50Seconds(quantile(0.5, buckets))
                .setLatencyP95Seconds(quantile(0.95, buckets))
                .setLatencyP99Seconds(quantile(0.99, buckets))
                .setMemoryRatio(orNull(MetricEvaluator.value(memory, window, time)))
                .setCpuRatio(orNull(MetricEvaluator.value(cpu, window, time)))
                .setDiskRatio(orNull(MetricEvaluator.value(disk, window, time)))
                .setRestartRate(orNull(MetricEvaluator.value(restarts, window, time)))
                .setFiringAlerts(firing)
                .setWindowStart(Instant.ofEpochMilli(time - errorRatio.rangeMillis()))
                .setWindowEnd(at)
                .setUpdatedAt(at)
                .build();
    }

    /** Every metric name the health measures read. */
    Set<String> metrics() {
        Set<String> names = new HashSet<>();
        for (CompiledRule rule : List.of(errorRatio, latency, memory, cpu, disk, restarts)) {
            names.addAll(rule.rule().metrics().values());
        }
        return names;
    }

    /** The longest range any health measure looks back over. */
    long longestRangeMillis() {
        return List.of(errorRatio, latency, memory, cpu, disk, restarts).stream()
                .mapToLong(CompiledRule::rangeMillis).max().orElse(0);
    }

    private static CompiledRule first(List<CompiledRule> rules, RuleKind kind) {
        return rules.stream().filter(rule -> rule.rule().kind() == kind).findFirst()
                .orElseGet(() -> CompiledRule.builtIn(kind, kind == RuleKind.LATENCY_QUANTILE ? 0.95 : null));
    }

    private static Double quantile(double q, double[][] buckets) {
        return buckets == null ? null : orNull(PromQl.histogramQuantile(q, buckets[0], buckets[1]));
    }

    private static Double orNull(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
