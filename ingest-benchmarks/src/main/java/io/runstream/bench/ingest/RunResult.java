package io.runstream.bench.ingest;

/**
 * What one timed run measured: items (alerts or samples) per second, request latency percentiles, and CPU time
 * spent per item by the processes serving the run (this JVM, plus Alertmanager for its runs).
 */
public record RunResult(String name, double itemsPerSecond, double p50Millis, double p99Millis, long requests, long errors,
        double cpuMicrosPerItem) {

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%-34s %9.0f items/s  p50 %7.2f ms  p99 %7.2f ms  cpu %6.2f us/item  (%d requests, %d errors)",
                name, itemsPerSecond, p50Millis, p99Millis, cpuMicrosPerItem, requests, errors);
    }
}
