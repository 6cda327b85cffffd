package io.runstream.processor.api;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.runstream.avro.IncidentEvent;

/**
 * Stores each timeline entry under {@link TimelineKeys} so that one incident's timeline is one ordered prefix
 * scan. Replayed entries land on the same key, so a replay does not duplicate the timeline.
 */
final class TimelineIndexer implements Processor<String, IncidentEvent, Void, Void> {

    private final String storeName;
    private KeyValueStore<String, IncidentEvent> timeline;

    TimelineIndexer(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        timeline = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, IncidentEvent> record) {
        IncidentEvent event = record.value();
        if (event == null) {
            return;
        }
        timeline.put(TimelineKeys.of(event), event);
    }
}
