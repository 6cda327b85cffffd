package io.runstream.processor.detection;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Detection's own meters: samples processed, samples dropped as too late or as stamped too far ahead (by
 * service, so a service with a skewed clock or a stalled remote_write shows up), drift reports dropped as out
 * of order, alerts emitted, impact band changes forwarded to the incident path.
 */
public final class DetectionMetrics {

    private final MeterRegistry registry;
    private final Counter samplesProcessed;
    private final Counter impactChanges;
    private final Map<String, Counter> lateDropped = new ConcurrentHashMap<>();
    private final Map<String, Counter> futureDropped = new ConcurrentHashMap<>();
    private final Map<String, Counter> driftDropped = new ConcurrentHashMap<>();
    private final Map<String, Counter> alertsEmitted = new ConcurrentHashMap<>();

    public DetectionMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.samplesProcessed = Counter.builder("runstream.detection.samples.processed")
                .description("Metric samples read by detection, late ones included")
                .register(registry);
        this.impactChanges = Counter.builder("runstream.detection.impact.changes")
                .description("Service healths forwarded to the incident path because their impact band changed")
                .register(registry);
    }

    /** Metrics in a registry of their own, for tests and tools. */
    public static DetectionMetrics inMemory() {
        return new DetectionMetrics(new SimpleMeterRegistry());
    }

    void sampleProcessed() {
        samplesProcessed.increment();
    }

    void impactChanged() {
        impactChanges.increment();
    }

    void lateSampleDropped(String service) {
        lateDropped.computeIfAbsent(service, key -> Counter.builder("runstream.detection.samples.late.dropped")
                .description("Metric samples older than the late grace, dropped")
                .tag("service", key)
                .register(registry)).increment();
    }

    void futureSampleDropped(String service) {
        futureDropped.computeIfAbsent(service, key -> Counter.builder("runstream.detection.samples.future.dropped")
                .description("Metric samples stamped more than 10 minutes ahead of the wall clock, dropped")
                .tag("service", key)
                .register(registry)).increment();
    }

    void driftReportDropped(String model) {
        driftDropped.computeIfAbsent(model, key -> Counter.builder("runstream.detection.drift.late.dropped")
                .description("Drift reports older than the model's last report, dropped")
                .tag("model", key)
                .register(registry)).increment();
    }

    void alertEmitted(String alertname, String status) {
        alertsEmitted.computeIfAbsent(alertname + "/" + status, key -> Counter.builder("runstream.detection.alerts")
                .description("Alerts detection emitted, by alert name and status")
                .tag("alertname", alertname)
                .tag("status", status)
                .register(registry)).increment();
    }

    public double samplesProcessed() {
        return samplesProcessed.count();
    }

    public double impactChanges() {
        return impactChanges.count();
    }

    public double lateSamplesDropped(String service) {
        Counter counter = lateDropped.get(service);
        return counter == null ? 0 : counter.count();
    }

    public double futureSamplesDropped(String service) {
        Counter counter = futureDropped.get(service);
        return counter == null ? 0 : counter.count();
    }

    public double driftReportsDropped(String model) {
        Counter counter = driftDropped.get(model);
        return counter == null ? 0 : counter.count();
    }

    public MeterRegistry registry() {
        return registry;
    }
}
