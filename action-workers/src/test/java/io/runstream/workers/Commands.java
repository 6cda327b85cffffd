package io.runstream.workers;

import java.time.Instant;
import java.util.Map;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionMode;
import io.runstream.avro.ActionTarget;
import io.runstream.avro.ActionType;

/** Realistic commands from the runbooks for tests. */
public final class Commands {

    public static final Instant NOW = Instant.parse("2026-11-22T14:00:00Z");

    private Commands() {
    }

    public static ActionCommand command(String id, ActionType type, String kind, String namespace, String name,
            Map<String, String> parameters) {
        return ActionCommand.newBuilder()
                .setCommandId(id)
                .setIncidentId("inc-gateway-5xx-001")
                .setType(type)
                .setTarget(ActionTarget.newBuilder().setKind(kind).setNamespace(namespace).setName(name).build())
                .setParameters(parameters)
                .setMode(ActionMode.ENFORCE)
                .setRunbook("scale-out-on-saturation#1")
                .setReason("gateway saturated")
                .setIssuedAt(NOW)
                .setExpiresAt(NOW.plusSeconds(600))
                .build();
    }

    public static ActionCommand scale(String id, String namespace, String replicas) {
        return command(id, ActionType.SCALE, "Deployment", namespace, "gateway", Map.of("replicas", replicas));
    }
}
