package io.runstream.processor.api;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;

/**
 * Keeps the newest deliveries to the action workers' local inbox (an {@code ACTION_RESULT} entry whose details
 * hold {@code after.delivery=inbox}) in {@code inbox-store}, keyed by {@link InboxKeys} so that a reverse scan
 * reads them newest first. At most {@code cap} per partition: beyond it the oldest are deleted as new ones come.
 * The count is taken once when the task starts (after its store is restored) and kept up to date from there,
 * so an insert costs one lookup and, past the cap, one short scan from the oldest end.
 */
final class InboxIndexer implements Processor<String, IncidentEvent, Void, Void> {

    static final String DELIVERY = "after.delivery";
    static final String INBOX = "inbox";

    private final String storeName;
    private final int cap;
    private KeyValueStore<String, IncidentEvent> inbox;
    private long size;

    InboxIndexer(String storeName, int cap) {
        this.storeName = storeName;
        this.cap = cap;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        inbox = context.getStateStore(storeName);
        size = 0;
        try (KeyValueIterator<String, IncidentEvent> all = inbox.all()) {
            while (all.hasNext()) {
                all.next();
                size++;
            }
        }
    }

    @Override
    public void process(Record<String, IncidentEvent> record) {
        IncidentEvent event = record.value();
        if (!isInboxDelivery(event)) {
            return;
        }
        String key = InboxKeys.of(event);
        // a reprocessed entry (same event id and time) lands on its own key and is not counted twice
        if (inbox.get(key) == null) {
            size++;
        }
        inbox.put(key, event);
        if (size > cap) {
            List<String> oldest = new ArrayList<>();
            try (KeyValueIterator<String, IncidentEvent> all = inbox.all()) {
                while (oldest.size() < size - cap && all.hasNext()) {
                    oldest.add(all.next().key);
                }
            }
            oldest.forEach(inbox::delete);
            size -= oldest.size();
        }
    }

    static boolean isInboxDelivery(IncidentEvent event) {
        return event != null && event.getType() == IncidentEventType.ACTION_RESULT
                && INBOX.equals(event.getDetails().get(DELIVERY));
    }
}
