package io.runstream.processor.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.streams.KafkaStreams;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentState;
import io.runstream.avro.Severity;

/**
 * {@code runstream_incidents_open{severity}}: the incidents not yet resolved in this instance's active partitions
 * of the incidents store, counted when Prometheus scrapes (summed over instances, the whole pipeline's). One scan
 * serves all severities of a scrape; while the store is not queryable (starting, rebalancing) the gauges read NaN
 * rather than a count that silently leaves partitions out.
 */
public final class OpenIncidentsGauge {

    /** Scrapes of all severities within this time share one scan of the store. */
    private static final Duration REUSE = Duration.ofSeconds(1);

    private final LocalStores stores;
    private final Clock clock;
    private Map<Severity, Long> counts;
    private Instant countedAt = Instant.MIN;

    OpenIncidentsGauge(LocalStores stores, Clock clock) {
        this.stores = stores;
        this.clock = clock;
    }

    public static void register(MeterRegistry registry, Supplier<KafkaStreams> streams, String incidentsTopic) {
        OpenIncidentsGauge gauge = new OpenIncidentsGauge(new LocalStores(streams, incidentsTopic), Clock.systemUTC());
        for (Severity severity : Severity.values()) {
            // Strongly held: nothing else references the counter, and a collected one would read NaN.
            Gauge.builder("runstream_incidents_open", gauge, g -> g.count(severity)).tag("severity", severity.name())
                    .description("Incidents not yet resolved (open, acknowledged or mitigated), by severity")
                    .strongReference(true).register(registry);
        }
    }

    synchronized double count(Severity severity) {
        Instant now = clock.instant();
        if (now.isAfter(countedAt.plus(REUSE))) {
            counts = countNow();
            countedAt = now;
        }
        return counts == null ? Double.NaN : counts.getOrDefault(severity, 0L);
    }

    private Map<Severity, Long> countNow() {
        Map<Severity, Long> bySeverity = new EnumMap<>(Severity.class);
        try {
            stores.forEachIncident(incident -> {
                if (isUnresolved(incident)) {
                    bySeverity.merge(incident.getSeverity(), 1L, Long::sum);
                }
            });
            return bySeverity;
        } catch (NotReady e) {
            return null;
        }
    }

    private static boolean isUnresolved(Incident incident) {
        return incident.getState() != IncidentState.RESOLVED && incident.getState() != IncidentState.UNKNOWN;
    }
}
