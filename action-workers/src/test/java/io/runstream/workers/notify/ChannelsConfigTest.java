package io.runstream.workers.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.runstream.common.config.ConfigLoader;
import io.runstream.workers.ActionWorkersConfig;

/** notifications.statuspage, .email and .jira as the workers load them: off by default, secrets never printed. */
class ChannelsConfigTest {

    private static ActionWorkersConfig load(Map<String, String> env) {
        return new ConfigLoader().load(ActionWorkersConfig.class, ActionWorkersConfig.DEFAULTS, null, env);
    }

    @Test
    void statusPageEmailAndJiraAreOffByDefault() {
        NotifySettings defaults = load(Map.of()).notifications();

        assertThat(defaults.statuspage().enabled()).isFalse();
        assertThat(defaults.statuspage().severities()).containsExactly("P1", "P2");
        assertThat(defaults.email().enabled()).isFalse();
        assertThat(defaults.email().startTls()).isTrue();
        assertThat(defaults.jira().enabled()).isFalse();
        assertThat(defaults.jira().doneTransition()).isEqualTo("Done");
    }

    @Test
    void theyAreTurnedOnFromTheEnvironmentWithoutPrintingSecrets() {
        NotifySettings settings = load(Map.of(
                "RUNSTREAM_NOTIFICATIONS_STATUSPAGE_URL", "https://api.statuspage.io",
                "RUNSTREAM_NOTIFICATIONS_STATUSPAGE_PAGE_ID", "pg1",
                "RUNSTREAM_NOTIFICATIONS_STATUSPAGE_API_KEY", "SPKEY-SECRET",
                "RUNSTREAM_NOTIFICATIONS_EMAIL_HOST", "smtp.example.com",
                "RUNSTREAM_NOTIFICATIONS_EMAIL_FROM", "incidents@example.com",
                "RUNSTREAM_NOTIFICATIONS_EMAIL_PASSWORD", "SMTP-SECRET",
                "RUNSTREAM_NOTIFICATIONS_EMAIL_RECIPIENTS_ML_TEAM", "ml-team@example.com",
                "RUNSTREAM_NOTIFICATIONS_JIRA_URL", "https://example.atlassian.net",
                "RUNSTREAM_NOTIFICATIONS_JIRA_API_TOKEN", "JIRA-SECRET",
                "RUNSTREAM_NOTIFICATIONS_JIRA_PROJECTS_ML_PLATFORM", "MLOPS")).notifications();

        assertThat(settings.statuspage().enabled()).isTrue();
        assertThat(settings.email().recipientsFor("ml-team")).contains("ml-team@example.com");
        assertThat(settings.jira().projectFor("ml-platform")).contains("MLOPS");
        assertThat(settings.toString()).doesNotContain("SPKEY-SECRET", "SMTP-SECRET", "JIRA-SECRET");
    }

    @Test
    void anIncompleteChannelFailsAtStartNamingTheKey() {
        assertThatThrownBy(() -> load(Map.of("RUNSTREAM_NOTIFICATIONS_STATUSPAGE_URL", "https://api.statuspage.io")))
                .hasMessageContaining("notifications.statuspage.pageId must be set");
        assertThatThrownBy(() -> load(Map.of("RUNSTREAM_NOTIFICATIONS_JIRA_URL", "jira.example.com")))
                .hasMessageContaining("notifications.jira.url must be an http(s) URL");
        assertThatThrownBy(() -> load(Map.of("RUNSTREAM_NOTIFICATIONS_EMAIL_HOST", "smtp.example.com")))
                .hasMessageContaining("notifications.email.from must be set");
    }
}
