package io.runstream.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.runstream.avro.MetricKind;
import io.runstream.avro.MetricSample;

/**
 * A remote_write-like stream of samples: per service and 15 s step, two request counters (2xx and 5xx) and six
 * latency-histogram buckets, all healthy, in event-time order.
 */
public final class SampleLoad {

    static final int SAMPLES_PER_SERVICE_STEP = 8;
    private static final String[] BUCKETS = {"0.1", "0.25", "0.5", "1", "2.5", "+Inf"};
    private static final double[] BUCKET_SHARE = {0.50, 0.80, 0.95, 0.99, 1.0, 1.0};
    private static final Duration STEP = Duration.ofSeconds(15);

    private final int services;
    private final Instant start;

    public SampleLoad(int services, Instant start) {
        this.services = services;
        this.start = start;
    }

    /** The samples of one step for every service. */
    public List<MetricSample> step(int step) {
        List<MetricSample> samples = new ArrayList<>(services * SAMPLES_PER_SERVICE_STEP);
        Instant at = start.plus(STEP.multipliedBy(step));
        double requests = 1500.0 * (step + 1);
        for (int s = 0; s < services; s++) {
            String service = "model-" + s;
            samples.add(sample(service, "http_requests_total", MetricKind.COUNTER,
                    Map.of("status", "200", "namespace", "ml-prod"), requests * 0.999, at));
            samples.add(sample(service, "http_requests_total", MetricKind.COUNTER,
                    Map.of("status", "500", "namespace", "ml-prod"), requests * 0.001, at));
            for (int b = 0; b < BUCKETS.length; b++) {
                samples.add(sample(service, "http_request_duration_seconds_bucket", MetricKind.HISTOGRAM_BUCKET,
                        Map.of("le", BUCKETS[b], "namespace", "ml-prod"), requests * BUCKET_SHARE[b], at));
            }
        }
        return samples;
    }

    private static MetricSample sample(String service, String name, MetricKind kind, Map<String, String> labels,
            double value, Instant at) {
        return MetricSample.newBuilder().setName(name).setService(service).setLabels(labels).setKind(kind)
                .setValue(value).setTimestamp(at).build();
    }
}
