package io.runstream.ingest.parse;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.runstream.avro.Alert;
import io.runstream.avro.AlertSource;
import io.runstream.avro.AlertStatus;

/**
 * Alertmanager's webhook payload, version 4, into one {@link Alert} per entry of {@code alerts[]}. The whole
 * notification is validated before anything is returned, so a bad alert rejects the request and nothing of
 * it is produced.
 */
public final class AlertmanagerWebhookParser {

    /** Go's zero {@code time.Time}, which Alertmanager sends as {@code endsAt} of a firing alert. */
    private static final String GO_ZERO_TIME_TEXT = "0001-01-01T00:00:00Z";
    private static final Instant GO_ZERO_TIME = Instant.parse(GO_ZERO_TIME_TEXT);

    private final StrictJson json;
    private final Clock clock;

    public AlertmanagerWebhookParser(StrictJson json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    public List<Alert> parse(byte[] body) throws RejectedInput {
        StrictJson.Obj root = json.readObject(body);
        String version = root.requiredString("version");
        if (!"4".equals(version)) {
            throw RejectedInput.invalid("unsupported_version", "only webhook payload version \"4\" is supported, got \""
                    + version + "\"", "version");
        }
        String groupKey = root.optionalString("groupKey");
        status(root, "status");
        root.optionalInt("truncatedAlerts", 0);
        root.optionalString("receiver");
        root.stringMap("groupLabels");
        root.stringMap("commonLabels");
        root.stringMap("commonAnnotations");
        root.optionalString("externalURL");
        Instant receivedAt = clock.instant();
        List<StrictJson.Obj> entries = root.requiredObjects("alerts");
        List<Alert> alerts = new ArrayList<>(entries.size());
        for (StrictJson.Obj entry : entries) {
            Instant endsAt = endsAt(entry);
            alerts.add(Alert.newBuilder()
                    .setFingerprint(entry.requiredNonBlank("fingerprint"))
                    .setStatus(status(entry, "status"))
                    .setLabels(entry.stringMap("labels"))
                    .setAnnotations(entry.stringMap("annotations"))
                    .setStartsAt(entry.requiredTimestamp("startsAt"))
                    .setEndsAt(endsAt)
                    .setGeneratorUrl(emptyToNull(entry.optionalString("generatorURL")))
                    .setSource(AlertSource.ALERTMANAGER)
                    .setGroupKey(groupKey)
                    .setReceivedAt(receivedAt)
                    .build());
        }
        return alerts;
    }

    /** Null for a firing alert's zero time; checked as text first since every firing alert carries it. */
    private static Instant endsAt(StrictJson.Obj entry) throws RejectedInput {
        if (GO_ZERO_TIME_TEXT.equals(entry.optionalString("endsAt"))) {
            return null;
        }
        Instant endsAt = entry.optionalTimestamp("endsAt");
        return endsAt == null || !endsAt.isAfter(GO_ZERO_TIME) ? null : endsAt;
    }

    private static AlertStatus status(StrictJson.Obj obj, String name) throws RejectedInput {
        String status = obj.requiredString(name);
        return switch (status) {
            case "firing" -> AlertStatus.FIRING;
            case "resolved" -> AlertStatus.RESOLVED;
            default -> throw RejectedInput.invalid("invalid_value",
                    "must be \"firing\" or \"resolved\", got \"" + status + "\"", obj.path(name));
        };
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
