package io.runstream.processor.detection;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertSource;
import io.runstream.avro.AlertStatus;
import io.runstream.processor.rules.DetectionRule;
import io.runstream.processor.rules.Threshold;

/**
 * Builds the Alert record of a threshold's transition. Labels: alertname, severity, the subject's labels
 * (service and namespace, or model; for rules with {@code by:}, the group's labels) and the rule's own;
 * annotations: the rule's (with {{service}}, {{namespace}}, {{model}}, {{value}}, {{threshold}} and
 * {{label.NAME}} filled in) plus {@code value} (absent when an alert
 * resolves because its samples ran out) and {@code kind}.
 * receivedAt is the evaluation's event time, so replays produce identical alerts. Context labels (a drift alert's
 * {@code model_version} and {@code previous_model_version}) are added after the fingerprint is taken: they
 * describe the alert, they do not make it another one, so a model reported under a new version while its alert
 * fires still resolves that alert.
 */
final class DetectedAlerts {

    private static final MathContext SIX_DIGITS = new MathContext(6);
    private static final Pattern LABEL = Pattern.compile("\\{\\{label\\.([a-zA-Z_][a-zA-Z0-9_]*)}}");
    /** What a resolution for lack of samples shows instead of a value (the value annotation is left out). */
    private static final String NO_DATA = "no data";

    private DetectedAlerts() {
    }

    static Alert alert(DetectionRule rule, Threshold threshold, Map<String, String> subjectLabels,
            AlertLifecycle.Transition transition, long evaluatedAt, double value) {
        return alert(rule, threshold, subjectLabels, Map.of(), transition, evaluatedAt, value);
    }

    static Alert alert(DetectionRule rule, Threshold threshold, Map<String, String> subjectLabels,
            Map<String, String> contextLabels, AlertLifecycle.Transition transition, long evaluatedAt, double value) {
        Map<String, String> labels = new HashMap<>(rule.labels());
        labels.putAll(subjectLabels);
        labels.put("alertname", rule.name());
        labels.put("severity", threshold.severity());
        String fingerprint = Fingerprints.of(labels);
        contextLabels.forEach(labels::putIfAbsent);
        String measured = Double.isNaN(value) ? NO_DATA : plain(value);
        Map<String, String> annotations = new HashMap<>();
        rule.annotations().forEach((name, template) ->
                annotations.put(name, fill(template, labels, measured, plain(threshold.value()))));
        if (!Double.isNaN(value)) {
            annotations.put("value", measured);
        }
        annotations.put("kind", rule.kind().yamlName());
        boolean resolved = transition.status() == AlertStatus.RESOLVED;
        return Alert.newBuilder()
                .setFingerprint(fingerprint)
                .setStatus(transition.status())
                .setLabels(labels)
                .setAnnotations(annotations)
                .setStartsAt(Instant.ofEpochMilli(transition.startsAt()))
                .setEndsAt(resolved ? Instant.ofEpochMilli(evaluatedAt) : null)
                .setGeneratorUrl(null)
                .setSource(AlertSource.DETECTION)
                .setGroupKey(null)
                .setReceivedAt(Instant.ofEpochMilli(evaluatedAt))
                .build();
    }

    /** A number as a plain decimal of at most six significant digits, e.g. 0.12 for 12 %; "NaN" when unknown. */
    static String plain(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return new BigDecimal(value).round(SIX_DIGITS).stripTrailingZeros().toPlainString();
    }

    private static String fill(String template, Map<String, String> labels, String value, String threshold) {
        if (!template.contains("{{")) {
            return template;
        }
        String filled = template;
        if (filled.contains("{{label.")) {
            filled = LABEL.matcher(filled).replaceAll(match -> Matcher.quoteReplacement(
                    labels.getOrDefault(match.group(1), "")));
        }
        return filled.replace("{{service}}", labels.getOrDefault("service", ""))
                .replace("{{namespace}}", labels.getOrDefault("namespace", ""))
                .replace("{{model}}", labels.getOrDefault("model", ""))
                .replace("{{value}}", value)
                .replace("{{threshold}}", threshold);
    }
}
