package io.runstream.launcher.scenario;

import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.runstream.launcher.api.ApiException;
import io.runstream.launcher.api.IncidentApiClient;

/**
 * Tells what the pipeline does while a scenario plays: polls the incident API every second for the scenario's
 * services and prints each new timeline entry (opened, escalated, action issued, its result, resolved), and
 * where to look when an incident first appears.
 */
final class Narrator implements AutoCloseable {

    private final IncidentApiClient api;
    private final List<String> services;
    private final URI dashboard;
    private final PrintStream out;
    private final Set<String> seenEntries = new HashSet<>();
    private final Set<String> seenIncidents = new HashSet<>();
    private final Thread thread;
    private volatile boolean running = true;
    private boolean apiWarned;

    Narrator(IncidentApiClient api, List<String> services, URI dashboard, PrintStream out) {
        this.api = api;
        this.services = List.copyOf(services);
        this.dashboard = dashboard;
        this.out = out;
        this.thread = new Thread(this::loop, "scenario-narrator");
        this.thread.setDaemon(true);
    }

    /** Remembers what is on the timelines already (an earlier run's incidents), so only news is told. */
    Narrator start() throws InterruptedException {
        poll(false);
        thread.start();
        return this;
    }

    private void loop() {
        try {
            while (running) {
                Thread.sleep(1000); // polling interval of the incident API
                poll(true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One last look, so the story's final entries are told before the scenario says it is over. */
    void flush() throws InterruptedException {
        poll(true);
    }

    private synchronized void poll(boolean tell) throws InterruptedException {
        for (String service : services) {
            List<JsonNode> incidents;
            try {
                incidents = api.list(Map.of("service", service), 5);
            } catch (ApiException e) {
                if (!apiWarned && tell) {
                    out.println("  (cannot follow the incidents: " + e.getMessage() + ")");
                    apiWarned = true;
                }
                return;
            }
            for (JsonNode summary : incidents) {
                String id = summary.path("id").asText();
                JsonNode incident;
                try {
                    incident = api.incident(id);
                } catch (ApiException e) {
                    continue;
                }
                if (seenIncidents.add(id) && tell) {
                    out.printf("  >>> incident %s on %s: open the dashboard %s , or run: runstream incidents show %s%n",
                            id, service, dashboard, id);
                }
                List<JsonNode> fresh = new ArrayList<>();
                for (JsonNode entry : incident.path("timeline")) {
                    if (seenEntries.add(entry.path("eventId").asText())) {
                        fresh.add(entry);
                    }
                }
                if (tell) {
                    fresh.forEach(entry -> tell(id, entry));
                }
            }
        }
        out.flush();
    }

    private void tell(String id, JsonNode entry) {
        StringBuilder line = new StringBuilder(String.format("  %s  %-24s %s", id, entry.path("type").asText(),
                entry.path("message").asText()));
        JsonNode details = entry.path("details");
        if (details.has("outcome")) {
            line.append("  [").append(details.path("outcome").asText());
            if (details.has("reasonCode")) {
                line.append(" ").append(details.path("reasonCode").asText());
            }
            line.append("]");
        }
        out.println(line);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
