package io.runstream.workers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionMode;
import io.runstream.avro.ActionTarget;
import io.runstream.avro.ActionType;
import io.runstream.workers.kubernetes.KubernetesCalls;

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

    /** Kubernetes calls on the test client with the fixed test clock and retries that barely wait. */
    public static KubernetesCalls calls(KubernetesClient client) {
        return new KubernetesCalls(client, Clock.fixed(NOW, ZoneOffset.UTC), FAST_RETRIES);
    }

    public static final RetryPolicy FAST_RETRIES = new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(4));

    /** The command issued now and valid for ten minutes, for tests on the system clock. */
    public static ActionCommand fresh(ActionCommand command) {
        command.setIssuedAt(Instant.now());
        command.setExpiresAt(Instant.now().plusSeconds(600));
        return command;
    }

    public static ActionCommand scale(String id, String namespace, String replicas) {
        return command(id, ActionType.SCALE, "Deployment", namespace, "gateway", Map.of("replicas", replicas));
    }

    /** A Deployment as kubectl would show it: one container, selector on app. */
    public static Deployment deployment(String namespace, String name, int replicas) {
        return new DeploymentBuilder().withNewMetadata().withNamespace(namespace).withName(name).withResourceVersion("1").endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec()
                .addNewContainer().withName(name).withImage("registry.example/" + name + ":1.8.0").endContainer()
                .endSpec().endTemplate().endSpec().build();
    }
}
