package io.runstream.bench.ingest;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * As fast as it goes: {@code concurrency} senders, each sending its next request as soon as the previous one is
 * answered. Requests during the warm-up are sent but not counted.
 */
final class ClosedLoop {

    private ClosedLoop() {
    }

    static RunResult run(String name, HttpClient client, List<HttpRequest> requests, int itemsPerRequest,
            int concurrency, Duration warmup, Duration measured, LongSupplier cpu) throws InterruptedException {
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long measureUntil = measureFrom + measured.toNanos();
        AtomicLong next = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        Latencies all = new Latencies();
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Thread sender = new Thread(() -> {
                Latencies mine = new Latencies();
                while (true) {
                    HttpRequest request = requests.get((int) (next.getAndIncrement() % requests.size()));
                    long started = System.nanoTime();
                    if (started >= measureUntil) {
                        break;
                    }
                    boolean ok = send(client, request);
                    if (started >= measureFrom) {
                        mine.add(System.nanoTime() - started);
                        if (!ok) {
                            errors.incrementAndGet();
                        }
                    }
                }
                all.addAll(mine);
            }, name + "-sender-" + i);
            sender.start();
            senders.add(sender);
        }
        CpuWindow window = CpuWindow.between(measureFrom, measureUntil, cpu);
        for (Thread sender : senders) {
            sender.join();
        }
        double seconds = measured.toNanos() / 1e9;
        long ok = all.count() - errors.get();
        return new RunResult(name, ok * itemsPerRequest / seconds, all.percentileMillis(0.50),
                all.percentileMillis(0.99), all.count(), errors.get(),
                window.nanos() / 1e3 / Math.max(1, ok * itemsPerRequest));
    }

    static boolean send(HttpClient client, HttpRequest request) {
        try {
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status >= 200 && status < 300;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
