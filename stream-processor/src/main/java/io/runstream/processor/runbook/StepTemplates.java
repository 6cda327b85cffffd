package io.runstream.processor.runbook;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.runstream.avro.AlertRef;
import io.runstream.avro.Incident;

/** Fills a step's {@code {{...}}} placeholders from the incident and the alert its runbook matched. */
final class StepTemplates {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-zA-Z_.]+)\\s*}}");

    private StepTemplates() {
    }

    /** The rendered text, or empty when a placeholder has no value (a runbook must not act on a guess). */
    static Optional<String> render(String template, Incident incident, AlertRef alert) {
        if (template == null) {
            return Optional.empty();
        }
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = value(matcher.group(1), incident, alert);
            if (value == null) {
                return Optional.empty();
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return Optional.of(out.toString());
    }

    static Optional<Map<String, String>> render(Map<String, String> templates, Incident incident, AlertRef alert) {
        Map<String, String> rendered = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : templates.entrySet()) {
            Optional<String> value = render(entry.getValue(), incident, alert);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            rendered.put(entry.getKey(), value.get());
        }
        return Optional.of(rendered);
    }

    /** The first placeholder that has no value, for the timeline. */
    static String missing(String template, Incident incident, AlertRef alert) {
        Matcher matcher = PLACEHOLDER.matcher(template == null ? "" : template);
        while (matcher.find()) {
            if (value(matcher.group(1), incident, alert) == null) {
                return matcher.group(1);
            }
        }
        return null;
    }

    private static String value(String name, Incident incident, AlertRef alert) {
        return switch (name) {
            case "service" -> incident.getService();
            case "namespace" -> incident.getNamespace();
            case "incident" -> incident.getId();
            case "severity" -> incident.getSeverity().name();
            case "alertname" -> alert == null ? null : alert.getAlertname();
            default -> name.startsWith("label.") && alert != null ? alert.getLabels().get(name.substring(6)) : null;
        };
    }
}
