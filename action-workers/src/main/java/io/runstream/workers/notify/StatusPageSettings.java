package io.runstream.workers.notify;

import java.util.List;
import java.util.Set;

import io.runstream.avro.Severity;

/**
 * An Atlassian Statuspage (or compatible) page that NOTIFY to kind {@code statuspage} posts public incidents to.
 * Off while {@code url} is empty.
 *
 * @param url the API base, https://api.statuspage.io
 * @param name the target name escalation steps use, {@code statuspage/<name>}
 * @param pageId the page's id
 * @param apiKey the API key, sent as {@code Authorization: OAuth <key>} (a secret)
 * @param components the component ids an incident marks as affected
 * @param severities the incident severities that go public, e.g. [P1, P2]; others are refused as
 *        {@code severity_not_published}
 */
public record StatusPageSettings(String url, String name, String pageId, String apiKey, List<String> components,
        List<String> severities) {

    public static final StatusPageSettings OFF = new StatusPageSettings(null, null, null, null, null, null);

    public StatusPageSettings {
        name = ChannelSettings.set(name) ? name.strip() : "public";
        components = components == null ? List.of() : List.copyOf(components);
        severities = severities == null ? List.of("P1", "P2") : List.copyOf(severities);
        ChannelSettings.severities("notifications.statuspage.severities", severities);
        if (ChannelSettings.set(url)) {
            ChannelSettings.url("notifications.statuspage.url", url);
            ChannelSettings.require("notifications.statuspage.pageId", pageId, "when notifications.statuspage.url is");
            ChannelSettings.require("notifications.statuspage.apiKey", apiKey,
                    "when notifications.statuspage.url is (RUNSTREAM_NOTIFICATIONS_STATUSPAGE_API_KEY)");
        }
    }

    public boolean enabled() {
        return ChannelSettings.set(url);
    }

    Set<Severity> published() {
        return ChannelSettings.severities("notifications.statuspage.severities", severities);
    }

    @Override
    public String toString() {
        return "StatusPage[url=" + url + ", name=" + name + ", pageId=" + pageId + ", apiKey="
                + ChannelSettings.redacted(apiKey) + ", components=" + components + ", severities=" + severities + "]";
    }
}
