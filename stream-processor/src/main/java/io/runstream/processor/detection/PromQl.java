package io.runstream.processor.detection;

/**
 * The PromQL functions detection needs, following Prometheus 3's engine on float samples: range selectors
 * are left-open, {@code (end - range, end]}; {@code rate()} is {@code extrapolatedRate} with counter-reset
 * correction and its extrapolation rules; {@code histogram_quantile()} is {@code bucketQuantile} for classic
 * buckets. When these disagree with Prometheus on the same samples, these are wrong.
 */
final class PromQl {

    private PromQl() {
    }

    /**
     * {@code rate(series[range])} evaluated at {@code end}, per second; NaN (no result) with fewer than two
     * samples in the range.
     */
    static double rate(SampleBuffer samples, long end, long rangeMillis) {
        return increase(samples, end, rangeMillis) / (rangeMillis / 1000.0);
    }

    /**
     * {@code increase(series[range])} evaluated at {@code end}: rate's extrapolated increase, not divided by the
     * range; NaN (no result) with fewer than two samples in the range.
     */
    static double increase(SampleBuffer samples, long end, long rangeMillis) {
        long rangeStart = end - rangeMillis;
        int first = samples.firstIndexAfter(rangeStart);
        int last = samples.firstIndexAfter(end) - 1;
        int count = last - first + 1;
        if (count < 2) {
            return Double.NaN;
        }
        double firstValue = samples.value(first);
        double increase = samples.value(last) - firstValue;
        // A counter that went down restarted from zero: add back what it had reached before the reset.
        double previous = firstValue;
        for (int i = first + 1; i <= last; i++) {
            double value = samples.value(i);
            if (value < previous) {
                increase += previous;
            }
            previous = value;
        }
        double durationToStart = (samples.time(first) - rangeStart) / 1000.0;
        double durationToEnd = (end - samples.time(last)) / 1000.0;
        double sampledInterval = (samples.time(last) - samples.time(first)) / 1000.0;
        double averageInterval = sampledInterval / (count - 1);
        // Extrapolate to the range's edges only when a sample is expected there (within 110 % of the spacing).
        double threshold = averageInterval * 1.1;
        if (durationToStart >= threshold) {
            durationToStart = averageInterval / 2;
        }
        if (increase > 0 && firstValue >= 0) {
            // A counter is never negative: do not extrapolate back past the point where it would reach zero.
            double durationToZero = sampledInterval * (firstValue / increase);
            if (durationToZero < durationToStart) {
                durationToStart = durationToZero;
            }
        }
        if (durationToEnd >= threshold) {
            durationToEnd = averageInterval / 2;
        }
        double factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
        return increase * factor;
    }

    /** The instant-vector value of a gauge at {@code end}: its last sample in {@code (end - lookback, end]}, or NaN. */
    static double lastValue(SampleBuffer samples, long end, long lookbackMillis) {
        int last = samples.firstIndexAfter(end) - 1;
        if (last < 0 || samples.time(last) <= end - lookbackMillis) {
            return Double.NaN;
        }
        return samples.value(last);
    }

    /**
     * {@code histogram_quantile(q, ...)} over classic buckets: {@code upperBounds} ascending without duplicates
     * (the caller sums series with equal {@code le}), {@code counts} cumulative. NaN without a +Inf bucket,
     * with fewer than two buckets or without observations, as Prometheus.
     */
    static double histogramQuantile(double q, double[] upperBounds, double[] counts) {
        if (Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        int n = upperBounds.length;
        if (n < 2 || upperBounds[n - 1] != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        // Rates of cumulative buckets can come out non-monotonic through extrapolation; Prometheus levels them.
        double[] cumulative = counts.clone();
        for (int i = 1; i < n; i++) {
            if (cumulative[i] < cumulative[i - 1]) {
                cumulative[i] = cumulative[i - 1];
            }
        }
        double observations = cumulative[n - 1];
        if (observations == 0 || Double.isNaN(observations)) {
            return Double.NaN;
        }
        double rank = q * observations;
        int b = 0;
        while (b < n - 1 && cumulative[b] < rank) {
            b++;
        }
        if (b == n - 1) {
            return upperBounds[n - 2];
        }
        if (b == 0 && upperBounds[0] <= 0) {
            return upperBounds[0];
        }
        double bucketStart = 0;
        double bucketEnd = upperBounds[b];
        double count = cumulative[b];
        if (b > 0) {
            bucketStart = upperBounds[b - 1];
            count -= cumulative[b - 1];
            rank -= cumulative[b - 1];
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count);
    }
}
