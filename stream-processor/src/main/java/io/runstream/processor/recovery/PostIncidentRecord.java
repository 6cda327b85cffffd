package io.runstream.processor.recovery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.state.KeyValueStore;

import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;

/**
 * The post-incident record the runbooks ask for (runbook 002's incident record): every timeline entry of the
 * current incident of a correlation key is kept, one line each, in {@code incident-record-store}; the
 * {@code RESOLVED} entry then carries the whole timeline and the actions taken with their outcomes in its
 * details ({@code timeline}, {@code actions}), beside the durations and peak impact, so the resolution alone is
 * enough to draft the post-mortem.
 */
public final class PostIncidentRecord {

    /** Bounds the record of a very long incident; the oldest lines go first, and the count says so. */
    static final int MAX_LINES = 300;

    private final KeyValueStore<String, String> store;

    public PostIncidentRecord(KeyValueStore<String, String> store) {
        this.store = store;
    }

    /** Appends the entries to the key's record and returns them, the RESOLVED ones completed with the record. */
    public List<IncidentEvent> record(String key, List<IncidentEvent> events) {
        if (events.isEmpty()) {
            return events;
        }
        List<IncidentEvent> out = new ArrayList<>(events.size());
        for (IncidentEvent event : events) {
            List<String> lines = lines(key, event.getIncidentId());
            lines.add(line(event));
            while (lines.size() > MAX_LINES) {
                lines.remove(0);
            }
            store.put(key, event.getIncidentId() + "\n" + String.join("\n", lines));
            out.add(event.getType() == IncidentEventType.RESOLVED ? completed(event, lines) : event);
        }
        return out;
    }

    private List<String> lines(String key, String incidentId) {
        String stored = store.get(key);
        if (stored == null || !stored.startsWith(incidentId + "\n")) {
            return new ArrayList<>();
        }
        return new ArrayList<>(List.of(stored.substring(incidentId.length() + 1).split("\n")));
    }

    /** The actions among the key's record of the incident (issued, results, approvals, escalations), oldest first. */
    public List<String> actions(String key, String incidentId) {
        return lines(key, incidentId).stream().filter(PostIncidentRecord::isAction).toList();
    }

    private static boolean isAction(String line) {
        return line.contains(" ACTION_") || line.contains(" ESCALATED ") || line.contains(" APPROVED ");
    }

    private static IncidentEvent completed(IncidentEvent resolved, List<String> lines) {
        Map<String, String> details = new HashMap<>(resolved.getDetails());
        details.put("timeline", String.join("\n", lines));
        details.put("actions", String.join("\n", lines.stream().filter(PostIncidentRecord::isAction).toList()));
        details.put("timelineEntries", Integer.toString(lines.size()));
        return IncidentEvent.newBuilder(resolved).setDetails(details).build();
    }

    private static String line(IncidentEvent event) {
        String commandId = event.getActionCommandId() == null ? "" : " [" + event.getActionCommandId() + "]";
        return Instant.ofEpochMilli(event.getAt().toEpochMilli()) + " " + event.getType() + " "
                + event.getMessage().replace('\n', ' ') + commandId;
    }
}
