package io.runstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.runstream.avro.Severity;
import io.runstream.processor.rules.RunbooksFiles;
import io.runstream.processor.runbook.Runbook;
import io.runstream.processor.runbook.Runbooks;

/** The demo runbooks file of {@code run --scenario}: valid, short timers, and the built-in remediations. */
class ScenarioRunbooksTest {

    @Test
    void keepsTheBuiltInRemediationsWithDemoTimings() throws Exception {
        Path file = RunCommand.demoRunbooks();
        try {
            Runbooks demo = RunbooksFiles.load(file);
            Runbooks builtIn = RunbooksFiles.load(null);

            assertThat(demo.runbooks()).extracting(ScenarioRunbooksTest::shape)
                    .containsExactlyElementsOf(builtIn.runbooks().stream().map(ScenarioRunbooksTest::shape).toList());
            assertThat(demo.recovery().hold()).isLessThanOrEqualTo(Duration.ofSeconds(30));
            assertThat(demo.escalation().forSeverity(Severity.P1).steps())
                    .allSatisfy(step -> assertThat(step.after()).isLessThan(Duration.ofMinutes(1)));
            assertThat(demo.runbooks()).allSatisfy(runbook -> assertThat(runbook.steps())
                    .allSatisfy(step -> assertThat(step.expiresAfter()).isEqualTo(Duration.ofHours(1))));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** What a runbook does, apart from timings: its name, what it matches and its steps' actions and targets. */
    private static String shape(Runbook runbook) {
        List<String> steps = runbook.steps().stream().map(step -> step.name() + ":" + step.action() + ":"
                + step.targetKind() + ":" + step.targetName() + ":" + step.parameters() + ":"
                + step.requiresApproval()).toList();
        return runbook.name() + " " + runbook.match() + " " + runbook.when() + " " + steps;
    }
}
