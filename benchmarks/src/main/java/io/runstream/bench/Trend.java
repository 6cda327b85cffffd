package io.runstream.bench;

import java.util.List;

/** Least-squares slope of a series of (seconds, value) points, per hour: how fast a long run's figure drifts. */
final class Trend {

    private Trend() {
    }

    /** Slope per hour of the points at or after {@code fromSeconds}; NaN with fewer than two. */
    static double perHour(List<double[]> points, double fromSeconds) {
        List<double[]> used = points.stream().filter(p -> p[0] >= fromSeconds).toList();
        if (used.size() < 2) {
            return Double.NaN;
        }
        double meanT = used.stream().mapToDouble(p -> p[0]).average().orElseThrow();
        double meanV = used.stream().mapToDouble(p -> p[1]).average().orElseThrow();
        double covariance = 0;
        double variance = 0;
        for (double[] p : used) {
            covariance += (p[0] - meanT) * (p[1] - meanV);
            variance += (p[0] - meanT) * (p[0] - meanT);
        }
        return variance == 0 ? Double.NaN : covariance / variance * 3600;
    }
}
