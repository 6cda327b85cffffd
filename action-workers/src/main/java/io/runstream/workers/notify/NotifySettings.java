package io.runstream.workers.notify;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where notifications go. Each URL or key left empty turns its channel off; they are secrets (a Slack webhook
 * URL is its own credential), so every {@code toString} here redacts them and no message names them.
 *
 * @param slack the Slack incoming webhook for NOTIFY to kind {@code slack}
 * @param pagerduty the PagerDuty Events API v2 integration for PAGE
 * @param webhook a generic JSON webhook for NOTIFY to kind {@code webhook}
 * @param ticket the ticketing system's webhook for TICKET (kind {@code ticket}, the name is the queue)
 * @param requestTimeout how long one HTTP request may take
 * @param inbox whether a notification to a channel that is not configured goes to the local inbox instead
 * @param statuspage the public status page for NOTIFY to kind {@code statuspage}; off when absent
 * @param email the SMTP server and recipient lists for NOTIFY to kind {@code email}; off when absent
 * @param jira the Jira site and projects for TICKET to kind {@code jira}; off when absent
 */
public record NotifySettings(Slack slack, PagerDuty pagerduty, Webhook webhook, Ticket ticket,
        Duration requestTimeout, Inbox inbox, StatusPageSettings statuspage, EmailSettings email,
        JiraSettings jira) {

    /** Without a status page, email or Jira. */
    public NotifySettings(Slack slack, PagerDuty pagerduty, Webhook webhook, Ticket ticket, Duration requestTimeout,
            Inbox inbox) {
        this(slack, pagerduty, webhook, ticket, requestTimeout, inbox, null, null, null);
    }

    public NotifySettings {
        Objects.requireNonNull(slack, "notifications.slack");
        Objects.requireNonNull(pagerduty, "notifications.pagerduty");
        Objects.requireNonNull(webhook, "notifications.webhook");
        Objects.requireNonNull(ticket, "notifications.ticket");
        Objects.requireNonNull(requestTimeout, "notifications.requestTimeout");
        Objects.requireNonNull(inbox, "notifications.inbox");
        statuspage = statuspage == null ? StatusPageSettings.OFF : statuspage;
        email = email == null ? EmailSettings.OFF : email;
        jira = jira == null ? JiraSettings.OFF : jira;
    }

    public NotifySettings withInbox(Inbox newInbox) {
        return new NotifySettings(slack, pagerduty, webhook, ticket, requestTimeout, newInbox, statuspage, email, jira);
    }

    /**
     * @param enabled true: NOTIFY, PAGE and TICKET to a channel without a URL or key succeed into the local inbox
     *        (the result's {@code after} carries the rendered notice) instead of being rejected as
     *        {@code channel_not_configured}; for a first run without Slack or PagerDuty
     */
    public record Inbox(boolean enabled) {
    }

    /**
     * @param webhookUrl the incoming webhook URL (https://hooks.slack.com/services/...) for any channel name
     * @param channels webhook URLs by channel name (an incoming webhook posts to one channel), before the default
     * @param botToken the Slack app's bot token (xoxb-..., scope chat:write); set, channels with an id in
     *        {@code channelIds} are posted to through the Web API with buttons; secret
     * @param channelIds Slack channel ids (C0123ABCDEF) by channel name, for the app
     * @param apiUrl the Web API methods prefix, https://slack.com/api/
     */
    public record Slack(String webhookUrl, Map<String, String> channels, String botToken,
            Map<String, String> channelIds, String apiUrl) {

        public static final String SLACK_API = "https://slack.com/api/";

        /** Incoming webhooks only. */
        public Slack(String webhookUrl, Map<String, String> channels) {
            this(webhookUrl, channels, null, null, null);
        }

        public Slack {
            channels = channels == null ? Map.of() : Map.copyOf(channels);
            channelIds = channelIds == null ? Map.of() : Map.copyOf(channelIds);
            botToken = botToken == null || botToken.isBlank() ? null : botToken.strip();
            apiUrl = apiUrl == null || apiUrl.isBlank() ? SLACK_API : apiUrl;
            checkUrl("notifications.slack.webhookUrl", webhookUrl);
            checkUrl("notifications.slack.apiUrl", apiUrl);
            channels.forEach((name, url) -> checkUrl("notifications.slack.channels." + name, url));
            channelIds.forEach((name, id) -> {
                if (id == null || !id.matches("[A-Z0-9]{2,32}")) {
                    throw new IllegalArgumentException("notifications.slack.channelIds." + name + " must be a Slack "
                            + "channel id such as C0123ABCDEF, was " + id);
                }
            });
        }

        /** Whether NOTIFY to a channel with an id goes through the Slack app (Web API) rather than a webhook. */
        public boolean appEnabled() {
            return botToken != null;
        }

        /** The channel id of a channel name, for the Slack app; empty without a bot token or an id. */
        public Optional<String> channelIdFor(String channel) {
            return appEnabled() ? forName(channelIds, channel, null) : Optional.empty();
        }

        /** The webhook for the channel name a command targets, if any is configured. */
        public Optional<String> webhookFor(String channel) {
            return forName(channels, channel, webhookUrl);
        }

        @Override
        public String toString() {
            return "Slack[webhookUrl=" + redacted(webhookUrl) + ", channels=" + channels.keySet() + ", botToken="
                    + redacted(botToken) + ", channelIds=" + channelIds + ", apiUrl=" + apiUrl + "]";
        }
    }

    /**
     * @param url the Events API v2 endpoint, https://events.pagerduty.com/v2/enqueue
     * @param routingKey the integration key for any target name (e.g. on-call)
     * @param routingKeys integration keys by target name (tech-lead, vp-engineering, ...), before the default,
     *        so each escalation level pages its own PagerDuty service
     */
    public record PagerDuty(String url, String routingKey, Map<String, String> routingKeys) {
        public PagerDuty {
            routingKeys = routingKeys == null ? Map.of() : Map.copyOf(routingKeys);
            checkUrl("notifications.pagerduty.url", url);
        }

        /** The integration key for the target name a PAGE command names, if any is configured. */
        public Optional<String> routingKeyFor(String target) {
            if (url == null || url.isBlank()) {
                return Optional.empty();
            }
            return forName(routingKeys, target, routingKey);
        }

        @Override
        public String toString() {
            return "PagerDuty[url=" + url + ", routingKey=" + redacted(routingKey) + ", routingKeys="
                    + routingKeys.keySet() + "]";
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

    /**
     * @param url where a TICKET's JSON is POSTed (a Jira/ServiceNow automation webhook or a small bridge)
     * @param bearerToken sent as {@code Authorization: Bearer}, when set
     */
    public record Ticket(String url, String bearerToken) {
        public Ticket {
            checkUrl("notifications.ticket.url", url);
        }

        public boolean enabled() {
            return url != null && !url.isBlank();
        }

        @Override
        public String toString() {
            return "Ticket[url=" + redacted(url) + ", bearerToken=" + redacted(bearerToken) + "]";
        }
    }

    /**
     * The value configured for a name, else the default. Names compare case-insensitively with '-', '_' and '.'
     * alike, since an environment variable (RUNSTREAM_..._TECH_LEAD) arrives as tech.lead.
     */
    static Optional<String> forName(Map<String, String> byName, String name, String fallback) {
        String wanted = normalised(name);
        Optional<String> named = byName.entrySet().stream().filter(e -> normalised(e.getKey()).equals(wanted))
                .map(Map.Entry::getValue).filter(v -> v != null && !v.isBlank()).findFirst();
        return named.isPresent() ? named
                : Optional.ofNullable(fallback).filter(v -> !v.isBlank());
    }

    private static String normalised(String name) {
        return name == null ? "" : name.toLowerCase(Locale.ROOT).replace('-', '.').replace('_', '.');
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
