package io.runstream.bench.suite;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Alerts at a fixed rate (open loop, sent asynchronously so a slow answer does not delay the next alert), each
 * of a service of its own so that each is new to whoever receives it. The latency of an alert counts from the
 * moment before its request is sent; only alerts sent after the warm-up are measured.
 */
final class PacedAlerts {

    private final Map<String, Long> sentAtNanos = new ConcurrentHashMap<>();
    private final Set<String> measured = ConcurrentHashMap.newKeySet();
    private final Map<String, Double> latencyMillis = new ConcurrentHashMap<>();
    private final AtomicInteger failedRequests = new AtomicInteger();

    /** Sends for {@code warmup} plus {@code window}; {@code request} builds the request for one service's alert. */
    void send(HttpClient client, int perSecond, Duration warmup, Duration window, String servicePrefix,
            Function<String, HttpRequest> request) {
        long interval = 1_000_000_000L / perSecond;
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + window.toNanos();
        for (long i = 0, due = start; due < end; due = start + ++i * interval) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            String service = servicePrefix + i;
            HttpRequest alert = request.apply(service);
            long sentAt = System.nanoTime();
            sentAtNanos.put(service, sentAt);
            if (sentAt >= measureFrom) {
                measured.add(service);
            }
            client.sendAsync(alert, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                if (failure != null || response.statusCode() >= 300) {
                    failedRequests.incrementAndGet();
                }
            });
        }
    }

    /** The service's alert arrived where it is timed (the first arrival counts). */
    void arrived(String service, long atNanos) {
        Long sent = sentAtNanos.get(service);
        if (sent != null) {
            latencyMillis.putIfAbsent(service, (atNanos - sent) / 1e6);
        }
    }

    boolean allMeasuredArrived() {
        return measured.stream().allMatch(latencyMillis::containsKey);
    }

    int failedRequests() {
        return failedRequests.get();
    }

    LatencySummary summary() {
        return LatencySummary.of(measured.size(), measured.stream().filter(latencyMillis::containsKey)
                .map(latencyMillis::get).toList());
    }
}
