package io.runstream.bench.ingest;

/** What one timed run measured: items (alerts or samples) per second and request latency percentiles. */
record RunResult(String name, double itemsPerSecond, double p50Millis, double p99Millis, long requests, long errors) {

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%-34s %12.0f items/s  p50 %7.2f ms  p99 %7.2f ms  (%d requests, %d errors)",
                name, itemsPerSecond, p50Millis, p99Millis, requests, errors);
    }
}
