package io.runstream.processor.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
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
 * Reads this instance's own partitions of the incident stores, one named partition at a time. Only active
 * stores are read (never stale standbys); a partition that is migrating or restoring turns into
 * {@link NotReady} instead of a partial answer (Kafka Streams' composite store would silently leave it out).
 */
final class LocalStores {

    private final Supplier<KafkaStreams> streams;
    private final String incidentsTopic;

    /** @param incidentsTopic the topic the incidents store is built from, whose partitions this instance owns */
    LocalStores(Supplier<KafkaStreams> streams, String incidentsTopic) {
        this.streams = streams;
        this.incidentsTopic = incidentsTopic;
    }

    /**
     * The incident in the store's {@code partition}. Reading one named partition (not the composite of all local
     * ones) is what makes a partition that is still restoring answer {@link NotReady} rather than "not found".
     */
    Optional<Incident> incident(String id, int partition) {
        return Optional.ofNullable(read(() -> this.<Incident>store(IncidentViews.INCIDENTS_STORE, partition).get(id)));
    }

    List<IncidentEvent> timeline(String id, int partition) {
        return read(() -> {
            List<IncidentEvent> events = new ArrayList<>();
            try (KeyValueIterator<String, IncidentEvent> entries = this.<IncidentEvent>store(
                    IncidentViews.TIMELINE_STORE, partition).prefixScan(TimelineKeys.prefix(id),
                    Serdes.String().serializer())) {
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
            // Partition by partition, so that one still restoring fails the list instead of shortening it.
            for (int partition : ownedPartitions()) {
                try (KeyValueIterator<String, Incident> all =
                             this.<Incident>store(IncidentViews.INCIDENTS_STORE, partition).all()) {
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
            }
            List<Incident> page = new ArrayList<>(firstPage);
            page.sort((a, b) -> PageCursor.ORDER.compare(cursorOf(a), cursorOf(b)));
            return page;
        });
    }

    /** Every incident of this instance's active partitions, one partition at a time (see {@link #incidents}). */
    void forEachIncident(java.util.function.Consumer<Incident> action) {
        read(() -> {
            for (int partition : ownedPartitions()) {
                try (KeyValueIterator<String, Incident> all =
                             this.<Incident>store(IncidentViews.INCIDENTS_STORE, partition).all()) {
                    all.forEachRemaining(entry -> {
                        if (entry.value != null) {
                            action.accept(entry.value);
                        }
                    });
                }
            }
            return null;
        });
    }

    static PageCursor cursorOf(Incident incident) {
        return new PageCursor(incident.getOpenedAt().toEpochMilli(), incident.getId());
    }

    /** The partitions of the incidents topic this instance is the active owner of. */
    private Set<Integer> ownedPartitions() {
        return ownedPartitions(incidentsTopic::equals);
    }

    /** The partitions of the input topics matching {@code topic} whose tasks this instance runs as active. */
    Set<Integer> ownedPartitions(Predicate<String> topic) {
        Set<Integer> partitions = new TreeSet<>();
        running().metadataForLocalThreads().forEach(thread -> thread.activeTasks().forEach(task ->
                task.topicPartitions().stream().filter(tp -> topic.test(tp.topic()))
                        .forEach(tp -> partitions.add(tp.partition()))));
        return partitions;
    }

    <V> ReadOnlyKeyValueStore<String, V> store(String name, int partition) {
        return store(name, partition, String.class);
    }

    /** A store whose keys are not strings (binary keys ordered by time, for one). */
    <K, V> ReadOnlyKeyValueStore<K, V> store(String name, int partition, Class<K> keyType) {
        return running().store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<K, V>keyValueStore())
                .withPartition(partition));
    }

    private KafkaStreams running() {
        KafkaStreams current = streams.get();
        if (current == null || current.state() != KafkaStreams.State.RUNNING) {
            throw new NotReady("stream processor is " + (current == null ? "starting" : current.state()));
        }
        return current;
    }

    /** Runs a query of local stores; a store that is moving or restoring becomes {@link NotReady}. */
    static <T> T read(Supplier<T> query) {
        try {
            return query.get();
        } catch (InvalidStateStoreException e) {
            throw new NotReady("state is moving between instances: " + e.getMessage());
        }
    }
}
