package io.runstream.processor.correlation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Incident ids derived from the correlation key and the opening time, so that reprocessing the same alerts
 * (after a crash, under exactly-once) yields the same id rather than a second incident.
 */
public final class IncidentIds {

    private IncidentIds() {
    }

    public static String newId(String correlationKey, long openedAtMillis) {
        return "INC-" + HexFormat.of().formatHex(sha256(correlationKey + "|" + openedAtMillis), 0, 6).toUpperCase(
                java.util.Locale.ROOT);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }
}
