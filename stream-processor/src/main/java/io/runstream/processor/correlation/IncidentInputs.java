package io.runstream.processor.correlation;

import org.apache.kafka.streams.kstream.KStream;

import io.runstream.avro.ActionResult;
import io.runstream.avro.Alert;
import io.runstream.avro.DeploymentEvent;
import io.runstream.avro.IncidentCommand;
import io.runstream.avro.ServiceHealth;

/**
 * Everything that changes an incident: deduped alerts (keyed by fingerprint); commands, results, rollouts and
 * detection's impact changes, already keyed by correlation key.
 */
public record IncidentInputs(KStream<String, Alert> alerts, KStream<String, IncidentCommand> commands,
        KStream<String, ActionResult> results, KStream<String, DeploymentEvent> rollouts,
        KStream<String, ServiceHealth> impact) {
}
