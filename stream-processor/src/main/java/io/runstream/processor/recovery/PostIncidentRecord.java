package io.runstream.processor.recovery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.state.KeyValueStore;

import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;
import io.runstream.avro.IncidentRecordEntry;
import io.runstream.avro.IncidentRecordState;
import io.runstream.schemas.StateSerdes;

/**
 * The post-incident record the runbooks ask for (runbook 002's incident record): every timeline entry of the
 * current incident of a correlation key is kept in {@code incident-record-store} ({@link IncidentRecordState});
 * the {@code RESOLVED} entry then carries the whole timeline and the actions taken with their outcomes in its
 * details ({@code timeline}, {@code actions}, one line an entry), beside the durations and peak impact, so the
 * resolution alone is enough to draft the post-mortem.
 *
 * <p>Earlier releases kept the record as text, the incident id then one line an entry
 * ({@code <instant> <TYPE> <message>[ [<command id>]]}); that is still read.
 */
public final class PostIncidentRecord {

    /** Bounds the record of a very long incident; the oldest entries go first, and the count says so. */
    static final int MAX_LINES = 300;

    /** The entries that are actions taken: issued, held, their results, approvals and escalations. */
    private static final Set<IncidentEventType> ACTIONS = EnumSet.of(IncidentEventType.ACTION_ISSUED,
            IncidentEventType.ACTION_AWAITING_APPROVAL, IncidentEventType.ACTION_RESULT, IncidentEventType.ESCALATED,
            IncidentEventType.APPROVED);

    private final KeyValueStore<String, IncidentRecordState> store;

    public PostIncidentRecord(KeyValueStore<String, IncidentRecordState> store) {
        this.store = store;
    }

    /** The serde of {@code incident-record-store}'s values. */
    public static Serde<IncidentRecordState> serde() {
        return StateSerdes.withPreviousText(IncidentRecordState.class, PostIncidentRecord::fromPreviousText);
    }

    /**
     * Appends the entries of {@code currentIncidentId}, the incident the key now holds, to the key's record and
     * returns every entry, the RESOLVED ones completed with the record. An entry about another incident (a command
     * rejected for an incident its key no longer holds) goes out unrecorded: the record is the current incident's,
     * and recording it would start the record over under the other incident's id.
     */
    public List<IncidentEvent> record(String key, String currentIncidentId, List<IncidentEvent> events) {
        if (events.isEmpty()) {
            return events;
        }
        List<IncidentEvent> out = new ArrayList<>(events.size());
        for (IncidentEvent event : events) {
            if (currentIncidentId == null || !currentIncidentId.equals(event.getIncidentId())) {
                out.add(event);
                continue;
            }
            List<IncidentRecordEntry> entries = entries(key, event.getIncidentId());
            entries.add(entry(event));
            while (entries.size() > MAX_LINES) {
                entries.remove(0);
            }
            store.put(key, IncidentRecordState.newBuilder().setIncidentId(event.getIncidentId()).setEntries(entries)
                    .build());
            out.add(event.getType() == IncidentEventType.RESOLVED ? completed(event, entries) : event);
        }
        return out;
    }

    private List<IncidentRecordEntry> entries(String key, String incidentId) {
        IncidentRecordState stored = store.get(key);
        if (stored == null || !stored.getIncidentId().equals(incidentId)) {
            return new ArrayList<>();
        }
        return new ArrayList<>(stored.getEntries());
    }

    /** The actions among the key's record of the incident, one line each, oldest first. */
    public List<String> actions(String key, String incidentId) {
        return entries(key, incidentId).stream().filter(PostIncidentRecord::isAction).map(PostIncidentRecord::line)
                .toList();
    }

    private static boolean isAction(IncidentRecordEntry entry) {
        return ACTIONS.contains(entry.getType());
    }

    private static IncidentEvent completed(IncidentEvent resolved, List<IncidentRecordEntry> entries) {
        Map<String, String> details = new HashMap<>(resolved.getDetails());
        details.put("timeline", String.join("\n", entries.stream().map(PostIncidentRecord::line).toList()));
        details.put("actions", String.join("\n", entries.stream().filter(PostIncidentRecord::isAction)
                .map(PostIncidentRecord::line).toList()));
        details.put("timelineEntries", Integer.toString(entries.size()));
        return IncidentEvent.newBuilder(resolved).setDetails(details).build();
    }

    private static IncidentRecordEntry entry(IncidentEvent event) {
        return IncidentRecordEntry.newBuilder().setAt(Instant.ofEpochMilli(event.getAt().toEpochMilli()))
                .setType(event.getType())
                .setMessage(event.getMessage().replace('\n', ' ')).setActionCommandId(event.getActionCommandId())
                .build();
    }

    private static String line(IncidentRecordEntry entry) {
        String commandId = entry.getActionCommandId() == null ? "" : " [" + entry.getActionCommandId() + "]";
        return entry.getAt() + " " + entry.getType() + " " + entry.getMessage() + commandId;
    }

    /**
     * A record of the previous release's text. Its lines cannot tell a message's own trailing {@code [..]} from a
     * command id, so the command id stays in the message: the line reads as it did.
     */
    static IncidentRecordState fromPreviousText(String text) {
        int firstBreak = text.indexOf('\n');
        if (firstBreak <= 0) {
            throw new IllegalArgumentException("incident-record-store holds no incident id before the first line");
        }
        List<IncidentRecordEntry> entries = new ArrayList<>();
        for (String line : text.substring(firstBreak + 1).split("\n")) {
            String[] parts = line.split(" ", 3);
            if (parts.length < 2) {
                throw new IllegalArgumentException("incident-record-store holds a line without time and type: '"
                        + line + "'");
            }
            entries.add(IncidentRecordEntry.newBuilder().setAt(Instant.parse(parts[0]))
                    .setType(typeOf(parts[1])).setMessage(parts.length == 3 ? parts[2] : "").build());
        }
        return IncidentRecordState.newBuilder().setIncidentId(text.substring(0, firstBreak)).setEntries(entries)
                .build();
    }

    private static IncidentEventType typeOf(String name) {
        try {
            return IncidentEventType.valueOf(name);
        } catch (IllegalArgumentException e) {
            return IncidentEventType.UNKNOWN;
        }
    }
}
