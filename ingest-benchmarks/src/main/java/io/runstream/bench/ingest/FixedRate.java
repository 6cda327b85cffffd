package io.runstream.bench.ingest;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A fixed request rate, whatever the answers' pace (open loop). Latency counts from when a request was due, not
 * from when it went out, so a stall shows up in the percentiles instead of quietly lowering the rate.
 */
final class FixedRate {

    private FixedRate() {
    }

    static RunResult run(String name, HttpClient client, List<HttpRequest> requests, int itemsPerRequest,
            double requestsPerSecond, Duration warmup, Duration measured, LongSupplier cpu) throws InterruptedException {
        long interval = (long) (1e9 / requestsPerSecond);
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + measured.toNanos();
        Latencies latencies = new Latencies();
        AtomicLong errors = new AtomicLong();
        AtomicLong outstanding = new AtomicLong();
        CpuWindow window = CpuWindow.between(measureFrom, end, cpu);
        long sent = 0;
        for (long due = start; due < end; due = start + ++sent * interval) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long intended = due;
            boolean counted = intended >= measureFrom;
            outstanding.incrementAndGet();
            client.sendAsync(requests.get((int) (sent % requests.size())), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, failure) -> {
                        long latency = System.nanoTime() - intended;
                        if (counted) {
                            synchronized (latencies) {
                                latencies.add(latency);
                            }
                            if (failure != null || response.statusCode() >= 300) {
                                errors.incrementAndGet();
                            }
                        }
                        outstanding.decrementAndGet();
                    });
        }
        // Let the last answers arrive; a request still unanswered after this counts as missing, not as fast.
        long drainUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (outstanding.get() > 0 && System.nanoTime() < drainUntil) {
            LockSupport.parkNanos(1_000_000);
        }
        double seconds = measured.toNanos() / 1e9;
        synchronized (latencies) {
            long ok = latencies.count() - errors.get();
            return new RunResult(name, ok * itemsPerRequest / seconds, latencies.percentileMillis(0.50),
                    latencies.percentileMillis(0.99), latencies.count(), errors.get(),
                    window.nanos() / 1e3 / Math.max(1, ok * itemsPerRequest));
        }
    }
}
