package io.runstream.ingest.slack;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.runstream.ingest.parse.RejectedInput;

/**
 * Slack's request signing (v0): {@code X-Slack-Signature} must equal {@code v0=} + hex HMAC-SHA256 of
 * {@code "v0:" + X-Slack-Request-Timestamp + ":" + raw body} under the app's signing secret, and the timestamp
 * must be within {@code maxAge} of now so a captured request cannot be replayed later. The comparison is
 * constant-time. Every refusal is a 401 naming the header at fault.
 */
public final class SlackSignature {

    public static final String SIGNATURE_HEADER = "X-Slack-Signature";
    public static final String TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";

    private final byte[] signingSecret;
    private final Duration maxAge;
    private final Clock clock;

    public SlackSignature(String signingSecret, Duration maxAge, Clock clock) {
        if (signingSecret == null || signingSecret.isBlank()) {
            throw new IllegalArgumentException("slack.signingSecret must not be empty");
        }
        this.signingSecret = signingSecret.getBytes(StandardCharsets.UTF_8);
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** Refuses (401) unless the signature and timestamp headers vouch for exactly this body. */
    public void verify(String timestamp, String signature, byte[] body) throws RejectedInput {
        if (timestamp == null || timestamp.isBlank()) {
            throw refused("missing_timestamp", "the request has no " + TIMESTAMP_HEADER, TIMESTAMP_HEADER);
        }
        if (signature == null || signature.isBlank()) {
            throw refused("missing_signature", "the request has no " + SIGNATURE_HEADER, SIGNATURE_HEADER);
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw refused("bad_timestamp", TIMESTAMP_HEADER + " must be Unix seconds", TIMESTAMP_HEADER);
        }
        Duration age = Duration.between(Instant.ofEpochSecond(seconds), clock.instant()).abs();
        if (age.compareTo(maxAge) > 0) {
            throw refused("stale_timestamp", TIMESTAMP_HEADER + " is " + age.toSeconds()
                    + "s away from now, more than " + maxAge.toSeconds() + "s: refused as a possible replay",
                    TIMESTAMP_HEADER);
        }
        byte[] expected = sign(timestamp.trim(), body).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.US_ASCII))) {
            throw refused("bad_signature", "the signature does not match the body and timestamp",
                    SIGNATURE_HEADER);
        }
    }

    /** The {@code v0=...} signature Slack would send for this timestamp and body. */
    public String sign(String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingSecret, "HmacSHA256"));
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static RejectedInput refused(String reason, String message, String field) {
        return new RejectedInput(401, reason, message, field);
    }
}
