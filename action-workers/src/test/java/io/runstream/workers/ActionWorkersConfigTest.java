package io.runstream.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.runstream.common.config.ConfigLoader;

class ActionWorkersConfigTest {

    @Test
    void defaultsAreSafeDryRunDenyingKubeSystemWithThreeActionsPerTargetPerHalfHour() {
        ActionWorkersConfig config = new ConfigLoader().load(ActionWorkersConfig.class, ActionWorkersConfig.DEFAULTS,
                null, Map.of());

        assertThat(config.mode()).isEqualTo(RemediationMode.DRY_RUN);
        assertThat(config.safety().denyNamespaces()).containsExactly("kube-system");
        assertThat(config.safety().perTargetActions()).isEqualTo(3);
        assertThat(config.safety().rateWindow()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.safety().maxCommandExpiry()).isEqualTo(Duration.ofHours(24));
        assertThat(config.kubernetes().leaderElection()).isEqualTo(new ActionWorkersConfig.LeaderElectionSettings(
                "runstream-deployment-watcher", "", Duration.ofSeconds(15), Duration.ofSeconds(10),
                Duration.ofSeconds(2)));
    }

    @Test
    void notificationSecretsComeFromTheEnvironmentAndAreNeverPrinted() {
        ActionWorkersConfig config = new ConfigLoader().load(ActionWorkersConfig.class, ActionWorkersConfig.DEFAULTS,
                null, Map.of("RUNSTREAM_NOTIFICATIONS_SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/SECRET",
                        "RUNSTREAM_NOTIFICATIONS_PAGERDUTY_ROUTING_KEY", "R0UT1NGKEY",
                        "RUNSTREAM_NOTIFICATIONS_PAGERDUTY_ROUTING_KEYS_TECH_LEAD", "LEADKEY", "RUNSTREAM_ALERTMANAGER_URL",
                        "http://alertmanager:9093"));

        assertThat(config.notifications().slack().webhookUrl()).endsWith("/SECRET");
        assertThat(config.notifications().pagerduty().routingKeyFor("on-call")).contains("R0UT1NGKEY");
        assertThat(config.notifications().pagerduty().routingKeyFor("tech-lead")).contains("LEADKEY");
        assertThat(config.alertmanager().enabled()).isTrue();
        assertThat(config.retry().maxAttempts()).isEqualTo(5);
        assertThat(config.toString()).doesNotContain("SECRET", "R0UT1NGKEY", "LEADKEY");
    }

    @Test
    void slackAppModeReadsTheBotTokenFromASecretFileAndChannelIdsByName(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        java.nio.file.Path token = java.nio.file.Files.writeString(dir.resolve("slack_bot_token"), "xoxb-SECRET\n");
        ActionWorkersConfig config = new ConfigLoader().load(ActionWorkersConfig.class, ActionWorkersConfig.DEFAULTS,
                null, Map.of("RUNSTREAM_NOTIFICATIONS_SLACK_BOT_TOKEN_FILE", token.toString(),
                        "RUNSTREAM_NOTIFICATIONS_SLACK_CHANNEL_IDS_ML_OPS_ONCALL", "C0123ABCDEF"));

        assertThat(config.notifications().slack().appEnabled()).isTrue();
        assertThat(config.notifications().slack().botToken()).isEqualTo("xoxb-SECRET");
        assertThat(config.notifications().slack().channelIdFor("ml-ops-oncall")).contains("C0123ABCDEF");
        assertThat(config.notifications().slack().apiUrl()).isEqualTo("https://slack.com/api/");
        assertThat(config.toString()).doesNotContain("SECRET");
        assertThatThrownBy(() -> new ConfigLoader().load(ActionWorkersConfig.class, ActionWorkersConfig.DEFAULTS,
                null, Map.of("RUNSTREAM_NOTIFICATIONS_SLACK_CHANNEL_IDS_INCIDENTS", "#incidents")))
                .hasMessageContaining("notifications.slack.channelIds");
    }

    @Test
    void theLocalInboxIsOffUnlessTurnedOn() {
        ActionWorkersConfig defaults = new ConfigLoader().load(ActionWorkersConfig.class, ActionWorkersConfig.DEFAULTS,
                null, Map.of());
        ActionWorkersConfig turnedOn = new ConfigLoader().load(ActionWorkersConfig.class, ActionWorkersConfig.DEFAULTS,
                null, Map.of("RUNSTREAM_NOTIFICATIONS_INBOX_ENABLED", "true"));

        assertThat(defaults.notifications().inbox().enabled()).isFalse();
        assertThat(turnedOn.notifications().inbox().enabled()).isTrue();
    }

    @Test
    void aWebhookUrlThatIsNotHttpFailsWithoutEchoingIt() {
        assertThatThrownBy(() -> new ConfigLoader().load(ActionWorkersConfig.class, ActionWorkersConfig.DEFAULTS,
                null, Map.of("RUNSTREAM_NOTIFICATIONS_WEBHOOK_URL", "ftp://token@example"))).hasMessageContaining(
                        "notifications.webhook.url").satisfies(e -> assertThat(e.getMessage()).doesNotContain("token@"));
    }

    @Test
    void badModeFailsNamingTheKey() {
        assertThatThrownBy(() -> new ConfigLoader().load(ActionWorkersConfig.class, ActionWorkersConfig.DEFAULTS, null,
                Map.of("RUNSTREAM_MODE", "yolo"))).hasMessageContaining("mode");
    }
}
