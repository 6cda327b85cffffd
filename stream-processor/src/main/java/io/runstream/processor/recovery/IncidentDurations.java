package io.runstream.processor.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.runstream.avro.Incident;

/**
 * The post-incident figures of a resolution: time to acknowledge, mitigate and resolve, peak impact, how many
 * alerts and reopenings. The timeline itself (actions with their outcomes and before/after values) is the
 * incident's {@code incident-events}, served whole by the incident API.
 */
public final class IncidentDurations {

    private IncidentDurations() {
    }

    /** ISO-8601 durations from opening, for whichever of the three moments the incident has reached. */
    public static Map<String, String> of(Incident incident) {
        Map<String, String> durations = new LinkedHashMap<>();
        put(durations, "timeToAcknowledge", incident.getOpenedAt(), incident.getAcknowledgedAt());
        put(durations, "timeToMitigate", incident.getOpenedAt(), incident.getMitigatedAt());
        put(durations, "timeToResolve", incident.getOpenedAt(), incident.getResolvedAt());
        if (incident.getPeakErrorRate() != null) {
            durations.put("peakErrorRate", Double.toString(incident.getPeakErrorRate()));
        }
        if (incident.getPeakLatencyP95Seconds() != null) {
            durations.put("peakLatencyP95Seconds", Double.toString(incident.getPeakLatencyP95Seconds()));
        }
        durations.put("alerts", Integer.toString(incident.getAlerts().size()));
        durations.put("reopenCount", Integer.toString(incident.getReopenCount()));
        return durations;
    }

    private static void put(Map<String, String> durations, String name, Instant from, Instant to) {
        if (from != null && to != null) {
            durations.put(name, Duration.between(from, to).toString());
        }
    }
}
