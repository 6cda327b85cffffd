package io.runstream.bench.suite;

import java.util.Collection;

/** p50 / p99 / max of a run's latencies in milliseconds, with how many were expected and how many arrived. */
record LatencySummary(int expected, int received, double p50Millis, double p99Millis, double maxMillis) {

    static LatencySummary of(int expected, Collection<Double> millis) {
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new LatencySummary(expected, sorted.length, percentile(sorted, 0.50), percentile(sorted, 0.99),
                sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]);
    }

    /** Nearest rank. */
    private static double percentile(double[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%d of %d arrived, p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                received, expected, p50Millis, p99Millis, maxMillis);
    }

}
