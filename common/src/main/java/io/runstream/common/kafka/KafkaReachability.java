package io.runstream.common.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;

/**
 * Answers "is Kafka reachable?" for readiness probes without asking the cluster on every probe: a
 * successful describeCluster is trusted for a few seconds.
 */
public final class KafkaReachability {

    private final Admin admin;
    private final Duration cacheFor;
    private volatile Instant lastSuccess = Instant.EPOCH;

    public KafkaReachability(Admin admin, Duration cacheFor) {
        this.admin = admin;
        this.cacheFor = cacheFor;
    }

    /** Null when reachable, otherwise the reason. */
    public String problem() {
        if (Instant.now().isBefore(lastSuccess.plus(cacheFor))) {
            return null;
        }
        try {
            admin.describeCluster().clusterId().get(2, TimeUnit.SECONDS);
            lastSuccess = Instant.now();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return "Kafka unreachable: " + e.getClass().getSimpleName();
        }
    }
}
