package io.runstream.workers.notify;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where notifications go. Each URL or key left empty turns its channel off; they are secrets (a Slack webhook
 * URL is its own credential), so every {@code toString} here redacts them and no message names them.
 *
 * @param slack the Slack incoming webhook for NOTIFY to kind {@code slack}
 * @param pagerduty the PagerDuty Events API v2 integration for PAGE
 * @param webhook a generic JSON webhook for NOTIFY to kind {@code webhook}
 * @param requestTimeout how long one HTTP request may take
 */
public record NotifySettings(Slack slack, PagerDuty pagerduty, Webhook webhook, Duration requestTimeout) {

    public NotifySettings {
        Objects.requireNonNull(slack, "notifications.slack");
        Objects.requireNonNull(pagerduty, "notifications.pagerduty");
        Objects.requireNonNull(webhook, "notifications.webhook");
        Objects.requireNonNull(requestTimeout, "notifications.requestTimeout");
    }

    /** @param webhookUrl the incoming webhook URL, https://hooks.slack.com/services/... */
    public record Slack(String webhookUrl) {
        public Slack {
            checkUrl("notifications.slack.webhookUrl", webhookUrl);
        }

        public boolean enabled() {
            return webhookUrl != null && !webhookUrl.isBlank();
        }

        @Override
        public String toString() {
            return "Slack[webhookUrl=" + redacted(webhookUrl) + "]";
        }
    }

    /**
     * @param url the Events API v2 endpoint, https://events.pagerduty.com/v2/enqueue
     * @param routingKey the integration key of the service to page
     */
    public record PagerDuty(String url, String routingKey) {
        public PagerDuty {
            checkUrl("notifications.pagerduty.url", url);
        }

        public boolean enabled() {
            return url != null && !url.isBlank() && routingKey != null && !routingKey.isBlank();
        }

        @Override
        public String toString() {
            return "PagerDuty[url=" + url + ", routingKey=" + redacted(routingKey) + "]";
        }
    }

    /**
     * @param url where the JSON is POSTed
     * @param bearerToken sent as {@code Authorization: Bearer}, when set
     */
    public record Webhook(String url, String bearerToken) {
        public Webhook {
            checkUrl("notifications.webhook.url", url);
        }

        public boolean enabled() {
            return url != null && !url.isBlank();
        }

        @Override
        public String toString() {
            return "Webhook[url=" + redacted(url) + ", bearerToken=" + redacted(bearerToken) + "]";
        }
    }

    private static void checkUrl(String key, String url) {
        if (url == null || url.isBlank()) {
            return;
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must be an http(s) URL");
        }
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
            // the value is not echoed: it may be a secret
            throw new IllegalArgumentException(key + " must be an http(s) URL");
        }
    }

    private static String redacted(String secret) {
        return secret == null || secret.isBlank() ? "<unset>" : "<redacted>";
    }
}
