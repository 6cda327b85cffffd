package io.runstream.workers.notify.slack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which Slack message is an incident's in a channel: {@code ts} by incident id and channel id, bounded (the least
 * recently used forgotten first). Filled as messages are posted and, on start, from the action-results' {@code after}
 * ({@code slackTs}, {@code slackChannel}), so a restarted worker edits the same message instead of posting another.
 */
public final class SlackThreads {

    private final Map<String, String> ts;

    public SlackThreads(int capacity) {
        this.ts = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized Optional<String> messageOf(String incidentId, String channelId) {
        return Optional.ofNullable(ts.get(key(incidentId, channelId)));
    }

    public synchronized void remember(String incidentId, String channelId, String messageTs) {
        ts.put(key(incidentId, channelId), messageTs);
    }

    /** The message is gone (deleted in Slack): the next notice posts a new one. */
    public synchronized void forget(String incidentId, String channelId) {
        ts.remove(key(incidentId, channelId));
    }

    private static String key(String incidentId, String channelId) {
        return channelId + " " + incidentId;
    }
}
