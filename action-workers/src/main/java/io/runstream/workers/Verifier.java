package io.runstream.workers;

import java.time.Instant;
import java.util.function.Consumer;

import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;

/**
 * Follows an APPLIED result to its final SUCCEEDED or FAILED result, off the command loop's thread, so that
 * waiting for a rollout never holds up the commands behind it. Each APPLIED result handed over gets exactly one
 * final result published through {@code publish}, unless the verifier is closed first (a restarted worker then
 * finds the APPLIED result without a final one and hands it over again).
 */
public interface Verifier extends AutoCloseable {

    /** Starts following {@code applied}; returns at once. */
    void follow(ActionResult applied, Consumer<ActionResult> publish);

    /** Stops following; nothing more is published. */
    @Override
    void close();

    /**
     * The final result of an APPLIED one: the same command, target, before/after, start and worker, with the
     * outcome, reason and message the verification ended with.
     */
    static ActionResult finalOf(ActionResult applied, ActionOutcome outcome, String reasonCode, String message,
            Instant finishedAt) {
        // field by field: Avro's copy builder deep-copies through reflection its class validator refuses
        ActionResult done = new ActionResult();
        for (int field = 0; field < applied.getSchema().getFields().size(); field++) {
            done.put(field, applied.get(field));
        }
        done.setOutcome(outcome);
        done.setReasonCode(reasonCode);
        done.setMessage(message);
        done.setFinishedAt(finishedAt);
        return done;
    }

    /** For a worker without a cluster: no executor answers APPLIED there, so anything that does is FAILED. */
    Verifier NONE = new Verifier() {
        @Override
        public void follow(ActionResult applied, Consumer<ActionResult> publish) {
            publish.accept(finalOf(applied, ActionOutcome.FAILED, "not_verifiable", "no verifier configured for "
                    + applied.getType() + "; the change was accepted but its outcome is unknown",
                    applied.getFinishedAt()));
        }

        @Override
        public void close() {
        }
    };
}
