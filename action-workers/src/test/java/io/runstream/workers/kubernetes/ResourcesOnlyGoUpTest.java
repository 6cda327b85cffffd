package io.runstream.workers.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionType;
import io.runstream.workers.CommandHandler;
import io.runstream.workers.Commands;
import io.runstream.workers.DoneCommands;
import io.runstream.workers.NoClientRetries;
import io.runstream.workers.RemediationMode;
import io.runstream.workers.SafetyPolicy;

/**
 * Resources only go up (issue 17, item 6): runbook 004, HighMemoryUsage, "Increase memory limits temporarily"
 * raises nimify-api's memory limit; a SET_RESOURCES must never lower a limit or request by accident.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = NoClientRetries.class)
class ResourcesOnlyGoUpTest {

    KubernetesClient client;

    @BeforeEach
    void givenNimifyApi() {
        client.resource(new DeploymentBuilder(Commands.deployment("nimify-system", "nimify-api", 2)).editSpec()
                .editTemplate().editSpec().editFirstContainer().withNewResources()
                .addToLimits("memory", new Quantity("2Gi")).addToLimits("cpu", new Quantity("1"))
                .addToRequests("memory", new Quantity("1536Mi")).addToRequests("cpu", new Quantity("500m"))
                .endResources().endContainer().endSpec().endTemplate().endSpec().build()).create();
    }

    private ActionResult setResources(String id, Map<String, String> parameters) {
        return new CommandHandler(KubernetesExecutors.all(Commands.calls(client), SafetyPolicy.DEFAULTS),
                RemediationMode.ENFORCE, SafetyPolicy.DEFAULTS, new DoneCommands(100),
                Clock.fixed(Commands.NOW, ZoneOffset.UTC), "worker-1", new SimpleMeterRegistry())
                .handle(Commands.command(id, ActionType.SET_RESOURCES, "Deployment", "nimify-system", "nimify-api",
                        parameters)).orElseThrow();
    }

    private ResourceRequirements resources() {
        return client.apps().deployments().inNamespace("nimify-system").withName("nimify-api").get().getSpec()
                .getTemplate().getSpec().getContainers().get(0).getResources();
    }

    private void givenMemoryLimit(String limit) {
        client.apps().deployments().inNamespace("nimify-system").withName("nimify-api").edit(d ->
                new DeploymentBuilder(d).editSpec().editTemplate().editSpec().editFirstContainer().editResources()
                        .addToLimits("memory", new Quantity(limit)).endResources().endContainer().endSpec()
                        .endTemplate().endSpec().build());
    }

    @Test
    void runbook004HighMemoryUsage_aFloorRaisesALowerLimit() {
        ActionResult result = setResources("mem-1", Map.of("limits.memory", "4Gi"));

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.APPLIED);
        assertThat(result.getBefore()).containsEntry("limits.memory", "2Gi");
        assertThat(result.getAfter()).containsEntry("limits.memory", "4Gi");
        assertThat(resources().getLimits()).containsEntry("memory", new Quantity("4Gi"));
    }

    @Test
    void runbook004HighMemoryUsage_a4GiLimitStays4GiAgainstA2GiFloor() {
        givenMemoryLimit("4Gi");
        new DeploymentController(client, "nimify-system", "nimify-api").complete();
        String version = client.apps().deployments().inNamespace("nimify-system").withName("nimify-api").get()
                .getMetadata().getResourceVersion();

        ActionResult result = setResources("mem-2", Map.of("limits.memory", "2Gi"));

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.ALREADY_APPLIED);
        assertThat(result.getBefore()).containsEntry("limits.memory", "4Gi");
        assertThat(result.getAfter()).containsEntry("limits.memory", "4Gi");
        assertThat(result.getMessage()).contains("already in place", "limits.memory kept at 4Gi, above the floor 2Gi");
        assertThat(resources().getLimits()).containsEntry("memory", new Quantity("4Gi"));
        assertThat(client.apps().deployments().inNamespace("nimify-system").withName("nimify-api").get()
                .getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    void runbook004HighMemoryUsage_aFactorMultipliesTheCurrentLimit() {
        ActionResult result = setResources("mem-3", Map.of("limits.memory", "x1.5"));

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.APPLIED);
        assertThat(result.getAfter()).containsEntry("limits.memory", "3Gi");
        assertThat(resources().getLimits()).containsEntry("memory", new Quantity("3Gi"));
    }

    @Test
    void aFactorIsRoundedUpToWholeMiAndMillicores() {
        ActionResult result = setResources("mem-4", Map.of("limits.memory", "x1.3", "limits.cpu", "x1.25"));

        // 2Gi x 1.3 = 2662.4Mi -> 2663Mi; 1 cpu x 1.25 = 1250m
        assertThat(result.getAfter()).containsEntry("limits.memory", "2663Mi").containsEntry("limits.cpu", "1250m");
    }

    @Test
    void aBadFactorIsRejectedNamingIt() {
        ActionResult result = setResources("mem-5", Map.of("limits.memory", "x1,5"));

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.REJECTED);
        assertThat(result.getReasonCode()).isEqualTo("malformed_parameters");
        assertThat(result.getMessage()).contains("limits.memory", "'x1,5'", "not a factor");
        assertThat(resources().getLimits()).containsEntry("memory", new Quantity("2Gi"));
    }

    @Test
    void aFactorBelowOneOrALowerValueLowersOnlyWithAllowDecrease() {
        ActionResult refused = setResources("mem-6", Map.of("limits.memory", "x0.5"));
        ActionResult allowed = setResources("mem-7", Map.of("limits.memory", "1Gi", "allowDecrease", "true"));

        assertThat(refused.getOutcome()).isEqualTo(ActionOutcome.REJECTED);
        assertThat(refused.getMessage()).contains("limits.memory", "x0.5", "allowDecrease=true");
        assertThat(allowed.getOutcome()).isEqualTo(ActionOutcome.APPLIED);
        assertThat(allowed.getAfter()).containsEntry("limits.memory", "1Gi");
        // the 1536Mi request would exceed the lowered limit: it comes down with it
        assertThat(allowed.getBefore()).containsEntry("requests.memory", "1536Mi");
        assertThat(allowed.getAfter()).containsEntry("requests.memory", "1Gi");
        assertThat(resources().getRequests()).containsEntry("memory", new Quantity("1Gi"));
    }

    @Test
    void aRequestIsNeverRaisedAboveTheNewLimit() {
        ActionResult result = setResources("mem-8", Map.of("limits.memory", "3Gi", "requests.memory", "4Gi"));

        assertThat(result.getAfter()).containsEntry("limits.memory", "3Gi").containsEntry("requests.memory", "3Gi");
        assertThat(result.getMessage()).contains("requests.memory capped at the limit 3Gi");
        assertThat(resources().getRequests()).containsEntry("memory", new Quantity("3Gi"));
    }

    @Test
    void aFactorOfAnUnsetValueAndABadAllowDecreaseAreRejected() {
        ActionResult unset = setResources("gpu-1", Map.of("limits.nvidia.com/gpu", "x2"));
        ActionResult flag = setResources("mem-9", Map.of("limits.memory", "4Gi", "allowDecrease", "yes"));

        assertThat(unset.getReasonCode()).isEqualTo("malformed_parameters");
        assertThat(unset.getMessage()).contains("limits.nvidia.com/gpu", "needs a current value");
        assertThat(flag.getReasonCode()).isEqualTo("malformed_parameters");
        assertThat(flag.getMessage()).contains("allowDecrease");
    }
}
