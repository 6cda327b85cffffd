package io.runstream.ingest.slack;

import java.time.Duration;
import java.util.Map;

/**
 * The Slack app's interactivity endpoint ({@code POST /api/v1/slack/interactivity}); off while no signing
 * secret is set.
 *
 * @param signingSecret the app's signing secret (Basic Information -> App Credentials); secret
 * @param maxAge        how far a request's timestamp may be from now; older is refused as a replay (Slack: 5 min)
 * @param users         Slack user id -> Runstream actor; a user not listed acts as {@code slack:<username>}
 */
public record SlackSettings(String signingSecret, Duration maxAge, Map<String, String> users) {

    public static final SlackSettings OFF = new SlackSettings(null, null, null);

    public SlackSettings {
        signingSecret = signingSecret == null || signingSecret.isBlank() ? null : signingSecret;
        maxAge = maxAge == null ? Duration.ofMinutes(5) : maxAge;
        if (maxAge.isNegative() || maxAge.isZero() || maxAge.compareTo(Duration.ofMinutes(15)) > 0) {
            throw new IllegalArgumentException("slack.maxAge must be between 1s and 15m, was " + maxAge);
        }
        users = users == null ? Map.of() : Map.copyOf(users);
    }

    public boolean enabled() {
        return signingSecret != null;
    }

    @Override
    public String toString() {
        return "SlackSettings[signingSecret=" + (enabled() ? "***" : "none") + ", maxAge=" + maxAge + ", users="
                + users.size() + "]";
    }
}
