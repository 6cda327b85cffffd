package io.runstream.launcher.scenario;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A service's HTTP traffic as Prometheus scrapes it: the cumulative {@code http_requests_total} by status and,
 * when latencies are set, the {@code http_request_duration_seconds_bucket} histogram. The scenario changes the
 * error share and the latency distribution as its story goes on; the counters only grow.
 */
final class RequestTraffic implements Traffic {

    /** Bucket bounds in seconds; the last is +Inf. */
    private static final double[] BOUNDS = {0.1, 0.25, 0.5, 1, 2.5, 5, Double.POSITIVE_INFINITY};
    /** Cumulative shares of requests at or under each bound. */
    static final double[] FAST = {0.55, 0.90, 0.98, 0.995, 1, 1, 1};
    static final double[] SATURATED = {0.02, 0.05, 0.10, 0.30, 0.97, 1, 1};

    private final String service;
    private final String namespace;
    private final double requestsPerScrape;
    private final boolean histogram;
    private double errorShare = 0.001;
    private double[] latency = FAST;
    private double ok;
    private double failed;
    private final double[] buckets = new double[BOUNDS.length];

    RequestTraffic(String service, String namespace, double requestsPerScrape, boolean histogram) {
        this.service = service;
        this.namespace = namespace;
        this.requestsPerScrape = requestsPerScrape;
        this.histogram = histogram;
    }

    void errorShare(double share) {
        this.errorShare = share;
    }

    void latency(double[] cumulativeShares) {
        this.latency = cumulativeShares.clone();
    }

    @Override
    public List<IngestClient.Point> scrape(Instant at) {
        ok += requestsPerScrape * (1 - errorShare);
        failed += requestsPerScrape * errorShare;
        List<IngestClient.Point> points = new ArrayList<>();
        points.add(point("http_requests_total", Map.of("status", "200"), Math.floor(ok), at));
        points.add(point("http_requests_total", Map.of("status", "500"), Math.floor(failed), at));
        if (histogram) {
            for (int i = 0; i < BOUNDS.length; i++) {
                buckets[i] += requestsPerScrape * latency[i];
                String le = Double.isInfinite(BOUNDS[i]) ? "+Inf" : Double.toString(BOUNDS[i]);
                points.add(point("http_request_duration_seconds_bucket", Map.of("le", le), Math.floor(buckets[i]), at));
            }
        }
        return points;
    }

    private IngestClient.Point point(String name, Map<String, String> extra, double value, Instant at) {
        Map<String, String> labels = new java.util.HashMap<>(extra);
        labels.put("__name__", name);
        labels.put("service", service);
        labels.put("namespace", namespace);
        labels.put("job", service);
        return new IngestClient.Point(labels, value, at);
    }
}
