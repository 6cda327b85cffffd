package io.runstream.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds interactivity requests as Slack sends them: a form body {@code payload=<url-encoded JSON>} and the
 * {@code X-Slack-Request-Timestamp} / {@code X-Slack-Signature} headers ({@code v0=} hex HMAC-SHA256 of
 * {@code "v0:<timestamp>:<body>"} under the app's signing secret).
 */
public final class SlackInteractivitySigner {

    /** One request to send: body and the two headers. */
    public record Signed(byte[] body, String timestamp, String signature) {
    }

    private final String signingSecret;

    public SlackInteractivitySigner(String signingSecret) {
        this.signingSecret = signingSecret;
    }

    /** A Block Kit button click as Slack posts it, signed at {@code at}. */
    public Signed buttonClick(String actionId, String valueJson, String userId, String username, Instant at) {
        String payload = """
                {"type":"block_actions","user":{"id":"%s","username":"%s","team_id":"T0RUNSTRM"},
                 "api_app_id":"A0RUNSTRM","token":"legacy-unused","trigger_id":"1.2.%d",
                 "container":{"type":"message","message_ts":"1733465400.000100","channel_id":"C0PAYMENTS"},
                 "channel":{"id":"C0PAYMENTS","name":"incidents"},
                 "actions":[{"type":"button","action_id":"%s","block_id":"runstream_actions",
                   "text":{"type":"plain_text","text":"Acknowledge"},"value":%s,
                   "action_ts":"%d.%06d"}]}
                """.formatted(userId, username, at.toEpochMilli(), actionId, jsonString(valueJson),
                at.getEpochSecond(), at.getNano() / 1000);
        return sign("payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8), at);
    }

    /** Any form body signed with this secret at {@code at}. */
    public Signed sign(String body, Instant at) {
        String timestamp = String.valueOf(at.getEpochSecond());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new Signed(bytes, timestamp, signature(timestamp, bytes));
    }

    public String signature(String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jsonString(String raw) {
        return "\"" + raw.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
