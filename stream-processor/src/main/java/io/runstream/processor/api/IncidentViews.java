package io.runstream.processor.api;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Named;

import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;
import io.runstream.processor.StateStores;
import io.runstream.schemas.Topic;

/**
 * The read side the incident API queries: the latest state of every incident, and every incident's timeline,
 * both partitioned by incident id so that one instance answers everything about one incident; and, from the same
 * timeline entries, the newest deliveries to the workers' local inbox ({@link InboxIndexer}).
 */
public final class IncidentViews {

    /** The table node; Kafka Streams names its source node {@code incidents-table-source}. */
    public static final String INCIDENTS_TABLE = "incidents-table";
    public static final String INCIDENTS_STORE = "incidents-store";
    public static final String TIMELINE_SOURCE = "incident-events-source";
    public static final String TIMELINE_PROCESSOR = "timeline-index";
    public static final String TIMELINE_STORE = "incident-timeline-store";
    public static final String INBOX_PROCESSOR = "inbox-index";
    public static final String INBOX_STORE = "inbox-store";
    /** Deliveries to the workers' local inbox kept per partition of incident-events; older ones are deleted. */
    static final int INBOX_CAP = 1_000;

    private IncidentViews() {
    }

    /** Adds the read-side stores; returns the incidents table for others keyed by incident id to join. */
    public static KTable<String, Incident> addTo(StreamsBuilder builder, StateStores stores,
            Topic<String, Incident> incidents, Topic<String, IncidentEvent> incidentEvents) {
        KTable<String, Incident> table = builder.table(incidents.name(),
                Consumed.with(incidents.keySerde(), incidents.valueSerde()).withName(INCIDENTS_TABLE),
                stores.table(INCIDENTS_STORE, incidents.keySerde(), incidents.valueSerde()));
        builder.addStateStore(stores.keyValue(TIMELINE_STORE, Serdes.String(), incidentEvents.valueSerde()));
        builder.addStateStore(stores.keyValue(INBOX_STORE, Serdes.String(), incidentEvents.valueSerde()));
        KStream<String, IncidentEvent> events = builder.stream(incidentEvents.name(),
                Consumed.with(incidentEvents.keySerde(), incidentEvents.valueSerde()).withName(TIMELINE_SOURCE));
        events.process(() -> new TimelineIndexer(TIMELINE_STORE), Named.as(TIMELINE_PROCESSOR), TIMELINE_STORE);
        events.process(() -> new InboxIndexer(INBOX_STORE, INBOX_CAP), Named.as(INBOX_PROCESSOR), INBOX_STORE);
        return table;
    }
}
