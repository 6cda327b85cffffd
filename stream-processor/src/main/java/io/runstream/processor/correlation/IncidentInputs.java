package io.runstream.processor.correlation;

import org.apache.kafka.streams.kstream.KStream;

import io.runstream.avro.ActionResult;
import io.runstream.avro.Alert;
import io.runstream.avro.DeploymentEvent;
import io.runstream.avro.IncidentCommand;

/**
 * Everything that changes an incident: deduped alerts (keyed by fingerprint), and commands, results and
 * rollouts already keyed by correlation key.
 */
public record IncidentInputs(KStream<String, Alert> alerts, KStream<String, IncidentCommand> commands,
        KStream<String, ActionResult> results, KStream<String, DeploymentEvent> rollouts) {
}
