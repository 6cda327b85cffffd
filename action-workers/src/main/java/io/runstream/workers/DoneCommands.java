package io.runstream.workers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of commands that already produced a result, bounded (oldest forgotten first). Rebuilt from
 * action-results on start; the target-side marker annotation covers ids older than the bound.
 */
public final class DoneCommands {

    private final Map<String, Boolean> ids;

    public DoneCommands(int capacity) {
        this.ids = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized boolean contains(String commandId) {
        return ids.containsKey(commandId);
    }

    public synchronized void add(String commandId) {
        ids.put(commandId, Boolean.TRUE);
    }

    public synchronized int size() {
        return ids.size();
    }
}
