package io.runstream.processor.api;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.runstream.avro.IncidentEvent;

/**
 * Stores each timeline entry under {@link TimelineKeys} so that one incident's timeline is one ordered prefix
 * scan. Under exactly-once an entry is read once; a reprocessed offset lands on the same key. A null entry keyed by
 * an incident id is that incident's deletion past retention: its whole prefix is deleted, so the store holds the
 * timelines of the incidents the incidents store holds (the topic keeps the entries for its own retention).
 */
final class TimelineIndexer implements Processor<String, IncidentEvent, Void, Void> {

    private final String storeName;
    private KeyValueStore<String, IncidentEvent> timeline;
    private ProcessorContext<Void, Void> context;

    TimelineIndexer(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        timeline = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, IncidentEvent> record) {
        IncidentEvent event = record.value();
        if (event == null) {
            if (record.key() != null) {
                deleteTimeline(record.key());
            }
            return;
        }
        long offset = context.recordMetadata().map(metadata -> metadata.offset()).orElse(0L);
        timeline.put(TimelineKeys.of(event, offset), event);
    }

    private void deleteTimeline(String incidentId) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, IncidentEvent> entries =
                timeline.prefixScan(TimelineKeys.prefix(incidentId), new StringSerializer())) {
            entries.forEachRemaining(entry -> keys.add(entry.key));
        }
        keys.forEach(timeline::delete);
    }
}
