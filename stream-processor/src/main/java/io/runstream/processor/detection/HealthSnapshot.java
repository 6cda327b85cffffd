package io.runstream.processor.detection;

import java.time.Instant;
import java.util.List;

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

    ServiceHealth measure(String service, Evaluation evaluation, List<String> firing) {
        long time = evaluation.time();
        Instant at = Instant.ofEpochMilli(time);
        return ServiceHealth.newBuilder()
                .setService(service)
                .setNamespace(evaluation.window().state().namespace())
                .setErrorRate(orNull(evaluation.value(errorRatio)))
                .setLatencyP50Seconds(orNull(evaluation.quantile(latency, 0.5)))
                .setLatencyP95Seconds(orNull(evaluation.quantile(latency, 0.95)))
                .setLatencyP99Seconds(orNull(evaluation.quantile(latency, 0.99)))
                .setMemoryRatio(orNull(evaluation.value(memory)))
                .setCpuRatio(orNull(evaluation.value(cpu)))
                .setDiskRatio(orNull(evaluation.value(disk)))
                .setRestartRate(orNull(evaluation.value(restarts)))
                .setFiringAlerts(firing)
                .setWindowStart(Instant.ofEpochMilli(time - errorRatio.rangeMillis()))
                .setWindowEnd(at)
                .setUpdatedAt(at)
                .build();
    }

    /** The rules the health measures are computed with. */
    List<CompiledRule> rules() {
        return List.of(errorRatio, latency, memory, cpu, disk, restarts);
    }

    private static CompiledRule first(List<CompiledRule> rules, RuleKind kind) {
        return rules.stream().filter(rule -> rule.rule().kind() == kind).findFirst()
                .orElseGet(() -> CompiledRule.builtIn(kind, kind == RuleKind.LATENCY_QUANTILE ? 0.95 : null));
    }

    private static Double orNull(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
