package io.runstream.workers.notify;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Jira Cloud or Data Center, which TICKET to kind {@code jira} creates issues in, comments on and transitions to
 * done. Off while {@code url} is empty. Authentication is basic ({@code email} and {@code apiToken}, Jira Cloud)
 * or, without an email, {@code Authorization: Bearer <apiToken>} (a Data Center personal access token).
 *
 * @param url the site, https://example.atlassian.net
 * @param email the account's email for basic authentication; empty for a bearer token
 * @param apiToken the API token or personal access token (a secret)
 * @param projects Jira project keys by the target name escalation steps use ({@code jira/<name>}), e.g.
 *        ml-platform: MLOPS
 * @param issueType the issue type created, e.g. Incident or Bug
 * @param labels labels every issue gets, besides {@code runstream} and {@code runstream-<incident id>}
 * @param doneTransition the name (case-insensitive) or id of the transition a resolution takes, e.g. Done
 */
public record JiraSettings(String url, String email, String apiToken, Map<String, String> projects,
        String issueType, List<String> labels, String doneTransition) {

    public static final JiraSettings OFF = new JiraSettings(null, null, null, null, null, null, null);

    public JiraSettings {
        projects = projects == null ? Map.of() : Map.copyOf(projects);
        labels = labels == null ? List.of() : List.copyOf(labels);
        issueType = ChannelSettings.set(issueType) ? issueType.strip() : "Task";
        doneTransition = ChannelSettings.set(doneTransition) ? doneTransition.strip() : "Done";
        if (ChannelSettings.set(url)) {
            ChannelSettings.url("notifications.jira.url", url);
            ChannelSettings.require("notifications.jira.apiToken", apiToken,
                    "when notifications.jira.url is (RUNSTREAM_NOTIFICATIONS_JIRA_API_TOKEN)");
            if (projects.isEmpty()) {
                throw new IllegalArgumentException("notifications.jira.projects must map at least one target name"
                        + " to a project key when notifications.jira.url is set, e.g. ml-platform: MLOPS");
            }
            projects.forEach((name, key) -> {
                if (key == null || !key.matches("[A-Z][A-Z0-9_]+")) {
                    throw new IllegalArgumentException("notifications.jira.projects." + name
                            + " must be a Jira project key such as MLOPS, was '" + key + "'");
                }
            });
        }
    }

    public boolean enabled() {
        return ChannelSettings.set(url);
    }

    Optional<String> projectFor(String name) {
        return NotifySettings.forName(projects, name, null);
    }

    @Override
    public String toString() {
        return "Jira[url=" + url + ", email=" + email + ", apiToken=" + ChannelSettings.redacted(apiToken)
                + ", projects=" + projects + ", issueType=" + issueType + ", labels=" + labels + ", doneTransition="
                + doneTransition + "]";
    }
}
