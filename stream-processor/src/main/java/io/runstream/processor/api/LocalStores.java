package io.runstream.processor.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Supplier;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;

/**
 * Reads this instance's own partitions of the incident stores. Only active stores are read (never stale
 * standbys); a store that is migrating or restoring turns into {@link NotReady} instead of a partial answer.
 */
final class LocalStores {

    private final Supplier<KafkaStreams> streams;

    LocalStores(Supplier<KafkaStreams> streams) {
        this.streams = streams;
    }

    Optional<Incident> incident(String id) {
        return Optional.ofNullable(read(() -> incidents().get(id)));
    }

    List<IncidentEvent> timeline(String id) {
        return read(() -> {
            List<IncidentEvent> events = new ArrayList<>();
            try (KeyValueIterator<String, IncidentEvent> entries =
                         timelineStore().prefixScan(TimelineKeys.prefix(id), Serdes.String().serializer())) {
                entries.forEachRemaining(entry -> events.add(entry.value));
            }
            return events;
        });
    }

    /** The first {@code limit} matching incidents after {@code after}, in {@link PageCursor#ORDER}. */
    List<Incident> incidents(IncidentFilter filter, PageCursor after, int limit) {
        return read(() -> {
            // A bounded max-heap keeps the first `limit` in order without sorting the whole store.
            PriorityQueue<Incident> firstPage = new PriorityQueue<>(
                    (a, b) -> PageCursor.ORDER.compare(cursorOf(b), cursorOf(a)));
            try (KeyValueIterator<String, Incident> all = incidents().all()) {
                while (all.hasNext()) {
                    KeyValue<String, Incident> entry = all.next();
                    Incident incident = entry.value;
                    if (incident == null || !filter.matches(incident)
                            || after != null && !after.isBefore(cursorOf(incident))) {
                        continue;
                    }
                    firstPage.add(incident);
                    if (firstPage.size() > limit) {
                        firstPage.poll();
                    }
                }
            }
            List<Incident> page = new ArrayList<>(firstPage);
            page.sort((a, b) -> PageCursor.ORDER.compare(cursorOf(a), cursorOf(b)));
            return page;
        });
    }

    static PageCursor cursorOf(Incident incident) {
        return new PageCursor(incident.getOpenedAt().toEpochMilli(), incident.getId());
    }

    private ReadOnlyKeyValueStore<String, Incident> incidents() {
        return store(IncidentViews.INCIDENTS_STORE);
    }

    private ReadOnlyKeyValueStore<String, IncidentEvent> timelineStore() {
        return store(IncidentViews.TIMELINE_STORE);
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        KafkaStreams current = streams.get();
        if (current == null || current.state() != KafkaStreams.State.RUNNING) {
            throw new NotReady("stream processor is " + (current == null ? "starting" : current.state()));
        }
        return current.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
    }

    private static <T> T read(Supplier<T> query) {
        try {
            return query.get();
        } catch (InvalidStateStoreException e) {
            throw new NotReady("state is moving between instances: " + e.getMessage());
        }
    }
}
