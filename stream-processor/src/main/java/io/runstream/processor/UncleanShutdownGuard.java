package io.runstream.processor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Wipes the local state of a run that did not stop cleanly (kill -9, OOM kill, power loss) before Kafka Streams
 * starts, when the processing guarantee is exactly_once_v2.
 *
 * <p>Under exactly_once_v2 such state cannot be trusted and Kafka Streams would wipe and restore it anyway, but it
 * finds out store by store while opening them: a RocksDB store left open by the crash throws TaskCorruptedException
 * after RocksDB itself opened, and for window segments (dedup-store) Kafka Streams 4.3 keeps that RocksDB lock, so the
 * re-initialisation fails with "lock hold by current process" until the thread replacements run out (seen in the
 * soak of docs/reliability.md). Wiping first makes the restart the plain full restore it was going to be.
 *
 * <p>A marker file beside the application's state directory says a run is in progress: written before start,
 * removed once Kafka Streams closed every store.
 */
final class UncleanShutdownGuard {

    private static final Logger log = LoggerFactory.getLogger(UncleanShutdownGuard.class);

    private final Path marker;
    private final boolean exactlyOnce;
    private final Counter wipes;

    UncleanShutdownGuard(Path stateDir, String applicationId, String processingGuarantee, MeterRegistry registry) {
        this.marker = stateDir.resolve("." + applicationId + ".running");
        this.exactlyOnce = "exactly_once_v2".equals(processingGuarantee);
        this.wipes = Counter.builder("runstream.state.wipes")
                .description("Local state wiped at start because the previous run did not stop cleanly "
                        + "(exactly_once_v2; restored from the changelogs)")
                .register(registry);
    }

    /** Call before {@link KafkaStreams#start()}: wipes what a crashed run left, then marks this run as running. */
    void beforeStart(KafkaStreams streams) {
        if (Files.exists(marker) && exactlyOnce) {
            log.warn("The previous run of this instance did not stop cleanly ({} is still there): under exactly_once_v2"
                    + " its local state cannot be trusted; wiping it, every store is restored from its changelog",
                    marker);
            streams.cleanUp();
            wipes.increment();
        }
        try {
            Files.createDirectories(marker.getParent());
            Files.writeString(marker, Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + marker + " in the state directory", e);
        }
    }

    /** Call once Kafka Streams closed within its timeout: every store is closed, the next start may reuse them. */
    void cleanlyStopped() {
        try {
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            log.warn("Cannot delete {}: the next start will restore its state from the changelogs", marker, e);
        }
    }
}
