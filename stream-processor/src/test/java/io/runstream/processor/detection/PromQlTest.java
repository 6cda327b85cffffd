package io.runstream.processor.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** PromQL's own arithmetic, worked by hand from Prometheus' extrapolatedRate and bucketQuantile. */
class PromQlTest {

    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void rateExtrapolatesToTheRangeEdgesWhenSamplesAreCloseToThem() {
        // Samples every 15 s at 15..60 s, range (0, 60]: increase 30 over 45 s sampled, extrapolated by 15 s to the
        // start (15 s < 1.1 x 15 s) and 0 s to the end: 30 x 60/45 = 40 over 60 s.
        SampleBuffer samples = buffer(0, 100, 15_000, 110, 30_000, 120, 45_000, 130, 60_000, 140);

        assertThat(PromQl.rate(samples, 60_000, 60_000)).isCloseTo(40.0 / 60, within(1e-12));
    }

    @Test
    void rateAddsThePreResetValueWhenACounterRestarts() {
        // 20 -> 5 is a reset: increase = (25 - 20) + 20 = 25; extrapolated x 60/45, per second over 60 s.
        SampleBuffer samples = buffer(0, 10, 15_000, 20, 30_000, 5, 45_000, 15, 60_000, 25);

        assertThat(PromQl.rate(samples, 60_000, 60_000)).isCloseTo(25 * (60.0 / 45) / 60, within(1e-12));
    }

    @Test
    void rateDoesNotExtrapolateACounterBelowZero() {
        // First sample 2 at 15 s, increase 30 over 45 s: zero was reached 45 x 2/30 = 3 s before the first sample,
        // so the start is extended by 3 s, not 15 s: 30 x 48/45 / 60.
        SampleBuffer samples = buffer(15_000, 2, 30_000, 12, 45_000, 22, 60_000, 32);

        assertThat(PromQl.rate(samples, 60_000, 60_000)).isCloseTo(30 * (48.0 / 45) / 60, within(1e-12));
    }

    @Test
    void rateExtrapolatesOnlyHalfAnIntervalWhenSamplesStopShortOfTheEnd() {
        // Samples at 15 s and 30 s in (0, 120]: 90 s to the end >= 16.5 s, so only 7.5 s are added there.
        SampleBuffer samples = buffer(15_000, 100, 30_000, 130);

        assertThat(PromQl.rate(samples, 120_000, 120_000)).isCloseTo(30 * ((15 + 15 + 7.5) / 15) / 120, within(1e-12));
    }

    @Test
    void rateNeedsTwoSamplesInTheLeftOpenRange() {
        SampleBuffer samples = buffer(0, 1, 60_000, 2);

        assertThat(PromQl.rate(samples, 60_000, 60_000)).isNaN();
    }

    @Test
    void histogramQuantileInterpolatesInsideTheBucket() {
        double[] le = {0.1, 0.5, 1, 2.5, INF};
        double[] cumulative = {50, 80, 90, 98, 100};

        // rank 95 lies in (1, 2.5]: 1 + 1.5 x (95 - 90) / (98 - 90).
        assertThat(PromQl.histogramQuantile(0.95, le, cumulative)).isEqualTo(1.9375);
        // rank 50 is reached by the first bucket: 0 + 0.1 x 50/50.
        assertThat(PromQl.histogramQuantile(0.5, le, cumulative)).isEqualTo(0.1);
        // rank 99 falls in the +Inf bucket: the highest finite bound.
        assertThat(PromQl.histogramQuantile(0.99, le, cumulative)).isEqualTo(2.5);
    }

    @Test
    void histogramQuantileIsUndefinedWithoutInfBucketOrObservations() {
        assertThat(PromQl.histogramQuantile(0.5, new double[] {0.1, 1}, new double[] {1, 2})).isNaN();
        assertThat(PromQl.histogramQuantile(0.5, new double[] {0.1, INF}, new double[] {0, 0})).isNaN();
        assertThat(PromQl.histogramQuantile(1.5, new double[] {0.1, INF}, new double[] {1, 2})).isEqualTo(INF);
    }

    @Test
    void histogramQuantileLevelsNonMonotonicBuckets() {
        // 0.5's count below 0.1's is taken as 0.1's (Prometheus' ensureMonotonic): rank 5 of 10 lies in (0.1, 1].
        double[] le = {0.1, 0.5, 1, INF};
        assertThat(PromQl.histogramQuantile(0.5, le, new double[] {4, 3, 8, 10}))
                .isEqualTo(PromQl.histogramQuantile(0.5, le, new double[] {4, 4, 8, 10}));
    }

    @Test
    void lastValueLooksBackOverTheLookbackOnly() {
        SampleBuffer samples = buffer(0, 1, 30_000, 2);

        assertThat(PromQl.lastValue(samples, 40_000, 300_000)).isEqualTo(2);
        assertThat(PromQl.lastValue(samples, 20_000, 300_000)).isEqualTo(1);
        assertThat(PromQl.lastValue(samples, 400_000, 300_000)).isNaN();
    }

    private static SampleBuffer buffer(double... timesAndValues) {
        SampleBuffer buffer = new SampleBuffer();
        for (int i = 0; i < timesAndValues.length; i += 2) {
            buffer.add((long) timesAndValues[i], timesAndValues[i + 1]);
        }
        return buffer;
    }
}
