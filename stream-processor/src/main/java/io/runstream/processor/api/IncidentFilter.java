package io.runstream.processor.api;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import io.runstream.avro.Incident;
import io.runstream.avro.IncidentState;
import io.runstream.avro.Severity;

/** The list endpoint's filters: any of the given states, any of the given severities, one service. */
record IncidentFilter(Set<IncidentState> states, Set<Severity> severities, String service) {

    static IncidentFilter parse(String states, String severities, String service) {
        return new IncidentFilter(parseEnum(IncidentState.class, "state", states),
                parseEnum(Severity.class, "severity", severities), service == null || service.isBlank() ? null : service);
    }

    boolean matches(Incident incident) {
        return (states.isEmpty() || states.contains(incident.getState()))
                && (severities.isEmpty() || severities.contains(incident.getSeverity()))
                && (service == null || service.equals(incident.getService()));
    }

    private static <E extends Enum<E>> Set<E> parseEnum(Class<E> type, String parameter, String csv) {
        EnumSet<E> values = EnumSet.noneOf(type);
        if (csv == null || csv.isBlank()) {
            return values;
        }
        for (String part : csv.split(",")) {
            String name = part.trim().toUpperCase(Locale.ROOT);
            try {
                values.add(Enum.valueOf(type, name));
            } catch (IllegalArgumentException e) {
                throw new BadRequest(parameter, "'" + part.trim() + "' is not one of "
                        + Arrays.toString(type.getEnumConstants()));
            }
        }
        return values;
    }
}
