package io.runstream.processor.correlation;

import org.apache.kafka.streams.kstream.KStream;

import io.runstream.avro.ActionResult;
import io.runstream.avro.Alert;
import io.runstream.avro.DeploymentEvent;
import io.runstream.avro.IncidentCommand;
import io.runstream.avro.ServiceHealth;

/**
 * Everything that changes an incident: deduped alerts (keyed by fingerprint), commands, results and rollouts
 * already keyed by correlation key, and detection's impact changes (keyed by service).
 */
public record IncidentInputs(KStream<String, Alert> alerts, KStream<String, IncidentCommand> commands,
        KStream<String, ActionResult> results, KStream<String, DeploymentEvent> rollouts,
        KStream<String, ServiceHealth> impact) {
}
