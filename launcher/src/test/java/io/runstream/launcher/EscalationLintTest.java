package io.runstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.runstream.common.config.ConfigLoader;
import io.runstream.processor.rules.RunbooksFiles;
import io.runstream.processor.runbook.Runbooks;
import io.runstream.workers.ActionWorkersConfig;
import io.runstream.workers.notify.NotifySettings;

/** The escalation lint against the built-in runbooks (runbooks 000 and 001) and workers' settings as deployed. */
class EscalationLintTest {

    private static final Map<String, String> SLACK_AND_TICKETS = Map.of(
            "RUNSTREAM_NOTIFICATIONS_SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/x",
            "RUNSTREAM_NOTIFICATIONS_TICKET_URL", "https://tickets.example.com/hooks/runstream");

    @Test
    void listsExactlyThePagesWhenNoPagerDutyRoutingKeyIsConfigured() {
        // given: Slack and tickets configured, PagerDuty without any routing key
        NotifySettings workers = workers(SLACK_AND_TICKETS);

        // when
        List<EscalationLint.Finding> findings = EscalationLint.check(RunbooksFiles.load(null), workers);

        // then: every PAGE, and nothing else
        assertThat(findings).extracting(f -> f.use().source()).containsExactly(
                "escalation P1 step page-on-call", "escalation P1 step page-tech-lead",
                "escalation P1 step page-vp-engineering", "escalation P2 step page-on-call",
                "escalation alert DatabaseDown step page-dba", "escalation alert GPUUnavailable step page-infrastructure",
                "escalation alert ServiceDown step page-engineering-manager");
        assertThat(findings.get(1).warning()).isEqualTo("warning: escalation P1 step page-tech-lead: PAGE "
                + "pagerduty/tech-lead reaches no one: no PagerDuty routing key is configured for tech-lead. Set "
                + "notifications.pagerduty.routingKeys.tech-lead "
                + "(RUNSTREAM_NOTIFICATIONS_PAGERDUTY_ROUTING_KEYS_TECH_LEAD) or, for every pagerduty name, "
                + "notifications.pagerduty.routingKey (RUNSTREAM_NOTIFICATIONS_PAGERDUTY_ROUTING_KEY).");
    }

    @Test
    void aRoutingKeyForTheOnCallLeavesTheHigherLevelsUnreachable() {
        Map<String, String> env = new HashMap<>(SLACK_AND_TICKETS);
        env.put("RUNSTREAM_NOTIFICATIONS_PAGERDUTY_ROUTING_KEYS_ON_CALL", "r0utingkey0ncall");

        List<EscalationLint.Finding> findings = EscalationLint.check(RunbooksFiles.load(null), workers(env));

        assertThat(findings).extracting(f -> f.use().channel()).containsExactly("pagerduty/tech-lead",
                "pagerduty/vp-engineering", "pagerduty/dba", "pagerduty/infrastructure", "pagerduty/engineering-manager");
        assertThat(EscalationLint.summary(findings)).startsWith(
                "  PAGE pagerduty/tech-lead         1 use, set RUNSTREAM_NOTIFICATIONS_PAGERDUTY_ROUTING_KEYS_TECH_LEAD",
                "  PAGE pagerduty/vp-engineering    1 use, set "
                        + "RUNSTREAM_NOTIFICATIONS_PAGERDUTY_ROUTING_KEYS_VP_ENGINEERING");
    }

    @Test
    void nothingIsReportedWhenEveryChannelIsConfigured() {
        Map<String, String> env = new HashMap<>(SLACK_AND_TICKETS);
        env.put("RUNSTREAM_NOTIFICATIONS_PAGERDUTY_ROUTING_KEY", "r0utingkeydefault");

        assertThat(EscalationLint.check(RunbooksFiles.load(null), workers(env))).isEmpty();
    }

    @Test
    void runbookStepsWithATemplatedChannelOrAWrongKindAreReported() {
        // given: runbook steps that notify a team channel known per incident, a webhook and an impossible kind
        Runbooks runbooks = RunbooksFiles.parse("runbooks.yaml", """
                runbooks:
                  - name: tell-the-owners
                    match: {alerts: [HighErrorRate]}
                    steps:
                      - name: team-channel
                        action: NOTIFY
                        target: {kind: slack, name: "{{label.team}}"}
                      - name: status-page
                        action: NOTIFY
                        target: {kind: webhook, name: status-page}
                      - name: email
                        action: NOTIFY
                        target: {kind: email, name: sre}
                """);
        Map<String, String> env = new HashMap<>();
        env.put("RUNSTREAM_NOTIFICATIONS_SLACK_CHANNELS_ML_OPS_ONCALL", "https://hooks.slack.com/services/T0/B1/y");

        List<EscalationLint.Finding> findings = EscalationLint.check(runbooks, workers(env)).stream()
                .filter(f -> f.use().source().startsWith("runbook ")).toList();

        assertThat(findings).extracting(f -> f.use().source()).containsExactly(
                "runbook tell-the-owners step team-channel", "runbook tell-the-owners step status-page",
                "runbook tell-the-owners step email");
        assertThat(findings.get(0).warning()).contains("only known per incident",
                "RUNSTREAM_NOTIFICATIONS_SLACK_WEBHOOK_URL");
        assertThat(findings.get(1).warning()).contains("notifications.webhook.url");
        assertThat(findings.get(2).warning()).contains("NOTIFY goes to kind slack or webhook, not email");
    }

    private static NotifySettings workers(Map<String, String> environment) {
        return new ConfigLoader().load(ActionWorkersConfig.class, ActionWorkersConfig.DEFAULTS, null, environment)
                .notifications();
    }
}
