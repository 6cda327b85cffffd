package io.runstream.processor.conformance;

import static io.runstream.processor.conformance.RunbookPipeline.named;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.runstream.avro.Severity;

/** Runbook 004 (alert catalogue): severities per alert and the escalation each critical alert names. */
class Runbook004ConformanceTest {

    private RunbookPipeline pipeline = new RunbookPipeline();

    @AfterEach
    void close() {
        pipeline.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ServiceDown", "HighErrorRate", "DatabaseDown", "GPUUnavailable"})
    @Conformance(runbook = "004", section = "Alert Categories: Critical Alerts (SEV-1)")
    void everySev1AlertOfTheCatalogueIsP1AndPagesAtOnce(String alertname) {
        pipeline.fire(named(alertname, "critical"));

        assertThat(pipeline.incident().getSeverity()).isEqualTo(Severity.P1);
        assertThat(pipeline.notices()).contains("PAGE trigger pagerduty/on-call");
    }

    @Test
    @Conformance(runbook = "004", section = "DatabaseDown: Escalation")
    void databaseDownPagesTheDatabaseAdministratorImmediately() {
        pipeline.fire(named("DatabaseDown", "critical"));

        assertThat(pipeline.notices()).contains("PAGE trigger pagerduty/dba");
    }

    @Test
    @Conformance(runbook = "004", section = "GPUUnavailable: Escalation")
    void gpuUnavailablePagesTheInfrastructureTeamImmediately() {
        pipeline.fire(named("GPUUnavailable", "critical"));

        assertThat(pipeline.notices()).contains("PAGE trigger pagerduty/infrastructure");
    }

    @Test
    @Conformance(runbook = "004", section = "ServiceDown: Escalation")
    void serviceDownPagesTheEngineeringManagerAfterFifteenMinutes() {
        pipeline.fire(named("ServiceDown", "critical"));
        pipeline.notices();

        pipeline.atMinutes(14);
        assertThat(pipeline.notices()).doesNotContain("PAGE trigger pagerduty/engineering-manager");
        pipeline.atMinutes(15);
        assertThat(pipeline.notices()).contains("PAGE trigger pagerduty/engineering-manager");
    }

    @Test
    @Conformance(runbook = "004", section = "ServiceDown: Escalation")
    void serviceDownBackWithinFifteenMinutesPagesNoManager() {
        pipeline.fire(named("ServiceDown", "critical"));
        pipeline.fire(named("HighLatency", "warning"));
        pipeline.atMinutes(5);
        pipeline.resolve(named("ServiceDown", "critical"));

        pipeline.atMinutes(20);

        assertThat(pipeline.notices()).doesNotContain("PAGE trigger pagerduty/engineering-manager");
    }

    @Test
    @Conformance(runbook = "004", section = "ServiceDown: Escalation")
    void anAcknowledgedServiceDownPagesNoManager() {
        pipeline.fire(named("ServiceDown", "critical"));
        pipeline.atMinutes(2);
        pipeline.acknowledge("alice");

        pipeline.atMinutes(20);

        assertThat(pipeline.notices()).doesNotContain("PAGE trigger pagerduty/engineering-manager");
    }

    @Test
    @Conformance(runbook = "004", section = "Alert Categories: Info Alerts (SEV-3)")
    void anInfoAlertPagesNobody() {
        pipeline.fire(named("PodRestart", "info"));

        assertThat(pipeline.incident().getSeverity()).isEqualTo(Severity.P4);
        pipeline.atMinutes(60);
        assertThat(pipeline.notices()).noneMatch(line -> line.startsWith("PAGE"));
    }

    @Test
    @Conformance(runbook = "004", section = "Alert Categories: Warning Alerts (SEV-2)")
    void aWarningAlertAloneOpensATicketAndPagesNobody() {
        pipeline.fire(named("HighDiskUsage", "warning"));

        assertThat(pipeline.incident().getSeverity()).isEqualTo(Severity.P3);
        pipeline.atMinutes(60);
        assertThat(pipeline.notices()).containsExactly("TICKET opened ticket/ml-platform");
    }

    @Test
    @Conformance(runbook = "004", section = "Communication Templates: Slack Update Template")
    void theSlackUpdateNamesTheAlertSeverityStartStatusAndAssignee() {
        pipeline.fire(named("DatabaseDown", "critical"));
        pipeline.atMinutes(1);
        pipeline.command(io.runstream.avro.IncidentCommandType.ASSIGN, "bob");
        pipeline.sent();

        pipeline.atMinutes(10);

        RunbookPipeline.Sent update = pipeline.sent().stream().filter(s -> "update".equals(s.event())).findFirst()
                .orElseThrow();
        assertThat(update.parameters()).containsEntry("severity", "P1").containsEntry("commander", "bob")
                .containsEntry("startedAt", RunbookPipeline.T0().toString()).containsEntry("status", "investigating");
        assertThat(update.parameters().get("summary")).contains("DatabaseDown");
    }
}
