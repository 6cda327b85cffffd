package io.runstream.processor.rules;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a rule measures. Metric kinds read metric-samples and name the series they need by role (e.g. an
 * error_ratio's {@code requests} counter), with the runbooks' metric names as defaults; drift kinds read
 * drift-scores. Each kind knows the range its thresholds must lie in.
 */
public enum RuleKind {
    /** sum(rate(requests{errorSelector}[range])) / sum(rate(requests[range])), runbook 003. */
    ERROR_RATIO("error_ratio", true, 0, 1, Map.of("requests", "http_requests_total"), Duration.ofMinutes(5)),
    /** histogram_quantile(quantile, sum by (le) (rate(buckets[range]))), runbook 004's HighLatency. */
    LATENCY_QUANTILE("latency_quantile", true, 0, Double.MAX_VALUE,
            Map.of("buckets", "http_request_duration_seconds_bucket"), Duration.ofMinutes(5)),
    /** max of usage / limit over series with equal labels (runbook 004's HighMemoryUsage); range is the lookback. */
    MEMORY_RATIO("memory_ratio", true, 0, 1,
            Map.of("usage", "container_memory_usage_bytes", "limit", "container_spec_memory_limit_bytes"),
            Duration.ofMinutes(5)),
    /** max of rate(usage[range]) / (quota / period), the CPU limit in cores (runbook 003's CPU > 90 %). */
    CPU_RATIO("cpu_ratio", true, 0, 1,
            Map.of("usage", "container_cpu_usage_seconds_total", "quota", "container_spec_cpu_quota",
                    "period", "container_spec_cpu_period"),
            Duration.ofMinutes(5)),
    /** max of (size - free) / size (runbook 004's HighDiskUsage); range is the lookback. */
    DISK_RATIO("disk_ratio", true, 0, 1,
            Map.of("size", "node_filesystem_size_bytes", "free", "node_filesystem_free_bytes"), Duration.ofMinutes(5)),
    /** max of rate(restarts[range]) per container, restarts per second (runbook 004's PodRestart). */
    RESTART_RATE("restart_rate", true, 0, Double.MAX_VALUE,
            Map.of("restarts", "kube_pod_container_status_restarts_total"), Duration.ofMinutes(15)),
    /**
     * aggregate by (by) (series{selector}), the last value of each matching series within range (the lookback):
     * runbook 004's ServiceDown ({@code up == 0}), GPUUnavailable, runbook 000's CircuitBreakerOpen.
     */
    GAUGE("gauge", true, -Double.MAX_VALUE, Double.MAX_VALUE, Map.of("series", "up"), Duration.ofMinutes(5)),
    /** aggregate by (by) (increase(counter{selector}[range])): runbook 004's ModelLoadFailure. */
    INCREASE("increase", true, 0, Double.MAX_VALUE, Map.of("counter", "triton_model_load_failures_total"),
            Duration.ofMinutes(10)),
    /**
     * aggregate by (by) (increase(restarts[range]) and ignoring(selector labels) (reason{selector} == 1)): restarts
     * of containers whose last termination had the selected reason (runbook 004's PodRestart "If OOMKilled").
     */
    TERMINATIONS("terminations", true, 0, Double.MAX_VALUE,
            Map.of("restarts", "kube_pod_container_status_restarts_total",
                    "reason", "kube_pod_container_status_last_terminated_reason"),
            Duration.ofMinutes(10)),
    /**
     * absent_over_time(series{selector}[range]) of a service that has sent the series before: 1 while nothing
     * arrived for range, no result otherwise; a silent service, not a healthy one.
     */
    ABSENT("absent", true, 0, 0, Map.of("series", "up"), Duration.ofMinutes(5)),
    /** A drift report's share of drifted features (runbook 001: drift score > 0.3). */
    DRIFT_SHARE("drift_share", false, 0, 1, Map.of(), Duration.ZERO),
    /** referenceAccuracy - accuracy of a drift report (runbook 001: accuracy down > 5 %). */
    ACCURACY_DROP("accuracy_drop", false, 0, 1, Map.of(), Duration.ZERO);

    private final String yamlName;
    private final boolean fromMetrics;
    private final double minThreshold;
    private final double maxThreshold;
    private final Map<String, String> defaultMetrics;
    private final Duration defaultRange;

    RuleKind(String yamlName, boolean fromMetrics, double minThreshold, double maxThreshold,
            Map<String, String> defaultMetrics, Duration defaultRange) {
        this.yamlName = yamlName;
        this.fromMetrics = fromMetrics;
        this.minThreshold = minThreshold;
        this.maxThreshold = maxThreshold;
        this.defaultMetrics = Map.copyOf(defaultMetrics);
        this.defaultRange = defaultRange;
    }

    /** The name written in the rules file, e.g. {@code error_ratio}; also the {@code kind} annotation of alerts. */
    public String yamlName() {
        return yamlName;
    }

    /** True for kinds evaluated from metric-samples, false for kinds read from drift-scores. */
    public boolean fromMetrics() {
        return fromMetrics;
    }

    public boolean acceptsThreshold(double value) {
        return value >= minThreshold && value <= maxThreshold;
    }

    public String thresholdRange() {
        if (this == ABSENT) {
            return "absent is 1 while nothing arrives: use above: 0";
        }
        if (minThreshold == -Double.MAX_VALUE) {
            return "any number";
        }
        return maxThreshold == Double.MAX_VALUE ? "a number >= " + format(minThreshold)
                : "a ratio in " + format(minThreshold) + ".." + format(maxThreshold);
    }

    /** Metric role to default metric name; a rule may rename any of them under {@code metrics:}. */
    public Map<String, String> defaultMetrics() {
        return new LinkedHashMap<>(defaultMetrics);
    }

    /** True for kinds that select series by label ({@code selector:}). */
    public boolean selectsSeries() {
        return this == GAUGE || this == INCREASE || this == TERMINATIONS || this == ABSENT;
    }

    /** True for kinds that aggregate per group of series ({@code aggregate:}, {@code by:}), one alert per group. */
    public boolean groupsSeries() {
        return this == GAUGE || this == INCREASE || this == TERMINATIONS;
    }

    public Duration defaultRange() {
        return defaultRange;
    }

    public static Optional<RuleKind> fromYaml(String name) {
        return Arrays.stream(values()).filter(kind -> kind.yamlName.equals(name)).findFirst();
    }

    public static String yamlNames() {
        return String.join(", ", Arrays.stream(values()).map(RuleKind::yamlName).toList());
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
