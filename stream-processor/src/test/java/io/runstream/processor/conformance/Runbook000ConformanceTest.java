package io.runstream.processor.conformance;

import static io.runstream.processor.conformance.RunbookPipeline.errorRate;
import static io.runstream.processor.conformance.RunbookPipeline.named;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runbook 000 (MLOps platform): severity levels and their communication frequency. Its P1 cadence (every 30
 * minutes) loses to runbooks 001 and 003 (every 10) by default; a runbooks file restores it.
 */
class Runbook000ConformanceTest {

    private RunbookPipeline pipeline = new RunbookPipeline();

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    @Conformance(runbook = "000", section = "Incident Severity Levels (P1: every 30 minutes)")
    void theP1CadenceOfRunbook000IsOneSettingAway() {
        pipeline.close();
        pipeline = RunbookPipeline.withRunbooksFile("""
                escalation:
                  severities:
                    P1:
                      statusUpdates: {every: 30m, channel: slack/ml-ops-oncall}
                """);
        pipeline.fire(errorRate("critical", 0.12));
        pipeline.atMinutes(1);
        pipeline.acknowledge("alice");
        pipeline.notices();

        pipeline.atMinutes(29);
        assertThat(pipeline.notices()).doesNotContain("NOTIFY update slack/ml-ops-oncall");
        pipeline.atMinutes(30);
        assertThat(pipeline.notices()).contains("NOTIFY update slack/ml-ops-oncall");
    }

    @Test
    @Conformance(runbook = "000", section = "Incident Severity Levels (P1: response immediate)")
    void p1IsAnsweredImmediately() {
        pipeline.fire(errorRate("critical", 0.12));

        assertThat(pipeline.notices()).contains("PAGE trigger pagerduty/on-call");
    }

    @Test
    @Conformance(runbook = "000", section = "Incident Severity Levels (P3: daily)")
    void p3PostsADailyStatusUpdate() {
        pipeline.fire(named("HighDiskUsage", "warning"));
        pipeline.notices();

        pipeline.atMinutes(24 * 60 - 1);
        assertThat(pipeline.notices()).isEmpty();
        pipeline.atMinutes(24 * 60);
        assertThat(pipeline.notices()).containsExactly("NOTIFY update slack/ml-ops-oncall");
    }

    @Test
    @Conformance(runbook = "000", section = "Incident Severity Levels (P4: as needed)")
    void p4SendsNothingOnItsOwn() {
        pipeline.fire(named("PodRestart", "info"));

        pipeline.atMinutes(48 * 60);

        assertThat(pipeline.notices()).isEmpty();
    }
}
