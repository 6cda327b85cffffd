package io.runstream.workers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionType;
import io.runstream.schemas.PartitionKeys;

/**
 * The stream processor routes a result to the one writer of its incident by the correlation key alone (issue 19):
 * every result a worker publishes, whatever its outcome, carries the command's key and is keyed by it.
 */
class ResultCorrelationKeyTest {

    private static final String KEY = "prod/gateway";

    private final ActionExecutor scaleApplied = new ActionExecutor() {
        @Override
        public ActionType type() {
            return ActionType.SCALE;
        }

        @Override
        public Execution execute(ActionCommand command, boolean dryRun) {
            return Execution.applied("scaled to " + command.getParameters().get("replicas"),
                    Map.of("replicas", "3"), Map.of("replicas", "4"));
        }
    };

    private CommandHandler handler(RemediationMode mode) {
        return new CommandHandler(List.of(scaleApplied), mode, SafetyPolicy.DEFAULTS, new DoneCommands(100),
                Clock.fixed(Commands.NOW, ZoneOffset.UTC), "worker-1", new SimpleMeterRegistry());
    }

    private static ActionCommand keyed(ActionCommand command) {
        command.setCorrelationKey(KEY);
        return command;
    }

    @Test
    void everyOutcomeCarriesTheCommandsCorrelationKey() {
        ActionCommand applied = keyed(Commands.scale("cmd-applied", "prod", "4"));
        ActionCommand refusedByMode = keyed(Commands.scale("cmd-off", "prod", "4"));
        ActionCommand unknownType = keyed(Commands.command("cmd-unknown", ActionType.DELETE_POD, "Pod", "prod",
                "gateway-7d9f-x2x", Map.of()));
        ActionCommand expired = keyed(Commands.scale("cmd-late", "prod", "4"));
        expired.setExpiresAt(Commands.NOW.minusSeconds(1));

        List<ActionResult> results = List.of(
                handler(RemediationMode.ENFORCE).handle(applied).orElseThrow(),
                handler(RemediationMode.OFF).handle(refusedByMode).orElseThrow(),
                handler(RemediationMode.ENFORCE).handle(unknownType).orElseThrow(),
                handler(RemediationMode.ENFORCE).handle(expired).orElseThrow());

        assertThat(results).extracting(ActionResult::getOutcome).containsExactly(ActionOutcome.APPLIED,
                ActionOutcome.REJECTED, ActionOutcome.REJECTED, ActionOutcome.EXPIRED);
        assertThat(results).allSatisfy(result -> {
            assertThat(result.getCorrelationKey()).isEqualTo(KEY);
            assertThat(PartitionKeys.actionResult(result)).isEqualTo(KEY);
        });
    }

    @Test
    void theVerifiedFinalResultKeepsTheKeyOfItsAppliedOne() {
        ActionResult applied = handler(RemediationMode.ENFORCE).handle(keyed(Commands.scale("cmd-v", "prod", "4")))
                .orElseThrow();
        AtomicReference<ActionResult> published = new AtomicReference<>();

        Verifier.NONE.follow(applied, published::set);

        assertThat(published.get().getOutcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(published.get().getCorrelationKey()).isEqualTo(KEY);
        assertThat(PartitionKeys.actionResult(published.get())).isEqualTo(KEY);
    }

    @Test
    void aCommandFromAReleaseWithoutTheKeyIsAnsweredUnderItsCommandId() {
        ActionResult result = handler(RemediationMode.ENFORCE).handle(Commands.scale("cmd-old", "prod", "4"))
                .orElseThrow();

        assertThat(result.getCorrelationKey()).isNull();
        assertThat(PartitionKeys.actionResult(result)).isEqualTo("cmd-old");
    }
}
