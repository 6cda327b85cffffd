package io.runstream.processor.correlation;

import java.util.Objects;

import io.runstream.avro.ActionResult;
import io.runstream.avro.Alert;
import io.runstream.avro.DeploymentEvent;
import io.runstream.avro.IncidentCommand;
import io.runstream.avro.ServiceHealth;

/**
 * One record that changes an incident, as the one writer per correlation key receives it: wrapped at the
 * topology's merge points ({@code correlation-*-input}), never serialized (the merge feeds the processor
 * directly, so every topic and repartition keeps its own Avro record).
 *
 * <p>Java 17 has no exhaustive pattern {@code switch} without preview, so dispatch is a visitor: the interface is
 * sealed, each input implements {@link #accept}, and {@link Visitor} has one method per input. A new input must be
 * permitted here and accepted by its visitor method, which every visitor (the correlator) must then implement: a
 * compile error, not a record dropped by an {@code instanceof} chain that did not know it.
 */
public sealed interface IncidentInput {

    <R> R accept(Visitor<R> visitor);

    /** What to do with each kind of input. */
    interface Visitor<R> {

        R alert(Alert alert);

        R command(IncidentCommand command);

        R result(ActionResult result);

        R rollout(DeploymentEvent rollout);

        R impact(ServiceHealth health);
    }

    /** A deduped alert, re-keyed by its correlation key. */
    record AlertInput(Alert alert) implements IncidentInput {

        public AlertInput {
            Objects.requireNonNull(alert, "alert");
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.alert(alert);
        }
    }

    /** A person's or an on-call tool's command, routed by the correlation key it carries or was looked up by. */
    record CommandInput(IncidentCommand command) implements IncidentInput {

        public CommandInput {
            Objects.requireNonNull(command, "command");
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.command(command);
        }
    }

    /** A worker's result, keyed by the correlation key it carries. */
    record ResultInput(ActionResult result) implements IncidentInput {

        public ResultInput {
            Objects.requireNonNull(result, "result");
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.result(result);
        }
    }

    /** A deployment's rollout, the context "after a rollout" of the runbooks. */
    record RolloutInput(DeploymentEvent rollout) implements IncidentInput {

        public RolloutInput {
            Objects.requireNonNull(rollout, "rollout");
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.rollout(rollout);
        }
    }

    /** Detection's measurement of a service whose impact band changed. */
    record ImpactInput(ServiceHealth health) implements IncidentInput {

        public ImpactInput {
            Objects.requireNonNull(health, "health");
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.impact(health);
        }
    }
}
