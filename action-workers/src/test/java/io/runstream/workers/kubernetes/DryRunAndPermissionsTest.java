package io.runstream.workers.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionType;
import io.runstream.workers.Commands;
import io.runstream.workers.Execution;
import io.runstream.workers.NoClientRetries;
import io.runstream.workers.RetryPolicy;
import io.runstream.workers.SafetyPolicy;

/** Calls the CRUD mock cannot model: server-side dry run, permission errors, conflicts, server errors. */
@EnableKubernetesMockClient(kubernetesClientBuilderCustomizer = NoClientRetries.class)
class DryRunAndPermissionsTest {

    KubernetesMockServer server;
    KubernetesClient client;

    private static final String GATEWAY = "/apis/apps/v1/namespaces/prod/deployments/gateway";
    private final SafetyPolicy safety = new SafetyPolicy(List.of(), List.of("kube-system"), 20, 5, 3, 30,
            Duration.ofMinutes(30), null);

    @Test
    void dryRunSendsServerSideDryRunAndReportsWhatWouldChange() throws Exception {
        server.expect().get().withPath(GATEWAY).andReturn(200, Commands.deployment("prod", "gateway", 3))
                .once();
        server.expect().put().withPath(GATEWAY + "?dryRun=All")
                .andReturn(200, Commands.deployment("prod", "gateway", 4)).once();

        Execution execution = new ScaleExecutor(Commands.calls(client), safety).execute(Commands.scale("c1", "prod", "4"), true);

        assertThat(execution.outcome()).isEqualTo(ActionOutcome.DRY_RUN);
        assertThat(execution.after()).containsEntry("replicas", "4");
        assertThat(server.getLastRequest().getPath()).isEqualTo(GATEWAY + "?dryRun=All");
    }

    @Test
    void forbiddenIsAFailureNamingTheMissingPermission() {
        server.expect().get().withPath(GATEWAY).andReturn(200, Commands.deployment("prod", "gateway", 3))
                .once();
        server.expect().put().withPath(GATEWAY).andReturn(403, "{\"kind\":\"Status\",\"code\":403}").once();

        Execution execution = new ScaleExecutor(Commands.calls(client), safety).execute(Commands.scale("c1", "prod", "4"), false);

        assertThat(execution.outcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(execution.reasonCode()).isEqualTo("forbidden");
        assertThat(execution.message()).contains("update deployments.apps in namespace prod");
    }

    @Test
    void forbiddenReadNamesTheGetPermission() {
        server.expect().get().withPath(GATEWAY).andReturn(403, "{\"kind\":\"Status\",\"code\":403}").once();

        Execution execution = new SetEnvExecutor(Commands.calls(client)).execute(Commands.command("c1",
                ActionType.SET_ENV, "Deployment", "prod", "gateway", Map.of("env.LOG_LEVEL", "debug")), false);

        assertThat(execution.outcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(execution.reasonCode()).isEqualTo("forbidden");
        assertThat(execution.message()).contains("get deployments.apps in namespace prod");
    }

    @Test
    void serverErrorIsRetriedWithBackoffUntilItSucceeds() {
        server.expect().get().withPath(GATEWAY).andReturn(200, Commands.deployment("prod", "gateway", 3))
                .times(3);
        server.expect().put().withPath(GATEWAY).andReturn(503, "{\"kind\":\"Status\",\"code\":503}").times(2);
        server.expect().put().withPath(GATEWAY).andReturn(200, Commands.deployment("prod", "gateway", 4))
                .once();

        Execution execution = new ScaleExecutor(Commands.calls(client), safety)
                .execute(Commands.scale("c1", "prod", "4"), false);

        assertThat(execution.outcome()).isEqualTo(ActionOutcome.APPLIED);
        assertThat(execution.attempts()).isEqualTo(3);
    }

    @Test
    void serverErrorIsNotRetriedPastTheCommandsExpiry() {
        server.expect().get().withPath(GATEWAY).andReturn(200, Commands.deployment("prod", "gateway", 3))
                .always();
        server.expect().put().withPath(GATEWAY).andReturn(500, "{\"kind\":\"Status\",\"code\":500}").always();
        ActionCommand soonExpiring = Commands.scale("c1", "prod", "4");
        soonExpiring.setExpiresAt(Commands.NOW.plusMillis(100));
        KubernetesCalls patientCalls = new KubernetesCalls(client, Clock.fixed(Commands.NOW, ZoneOffset.UTC),
                new RetryPolicy(10, Duration.ofSeconds(1), Duration.ofSeconds(10)));

        Execution execution = new ScaleExecutor(patientCalls, safety).execute(soonExpiring, false);

        assertThat(execution.outcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(execution.reasonCode()).isEqualTo("api_error");
        assertThat(execution.message()).contains("expiry");
        assertThat(execution.attempts()).isEqualTo(1);
    }

    @Test
    void dryRunOfATemplateChangeSendsServerSideDryRun() throws Exception {
        server.expect().get().withPath(GATEWAY).andReturn(200, Commands.deployment("prod", "gateway", 3))
                .once();
        server.expect().put().withPath(GATEWAY + "?dryRun=All")
                .andReturn(200, Commands.deployment("prod", "gateway", 3)).once();

        Execution execution = new SetResourcesExecutor(Commands.calls(client)).execute(Commands.command("c1",
                ActionType.SET_RESOURCES, "Deployment", "prod", "gateway", Map.of("limits.memory", "4Gi")), true);

        assertThat(execution.outcome()).isEqualTo(ActionOutcome.DRY_RUN);
        assertThat(execution.before()).containsEntry("limits.memory", "<unset>");
        assertThat(execution.after()).containsEntry("limits.memory", "4Gi");
        assertThat(server.getLastRequest().getPath()).isEqualTo(GATEWAY + "?dryRun=All");
    }

    @Test
    void dryRunOfPodDeletionSendsServerSideDryRun() throws Exception {
        String pod = "/api/v1/namespaces/prod/pods/gateway-7d9f-x2x";
        server.expect().get().withPath(pod).andReturn(200, new PodBuilder().withNewMetadata()
                .withName("gateway-7d9f-x2x").withNamespace("prod").withCreationTimestamp("2026-11-20T09:00:00Z")
                .endMetadata().build()).once();
        server.expect().delete().withPath(pod + "?dryRun=All").andReturn(200, "{}").once();

        Execution execution = new DeletePodExecutor(Commands.calls(client)).execute(Commands.command("c1",
                ActionType.DELETE_POD, "Pod", "prod", "gateway-7d9f-x2x", Map.of()), true);

        assertThat(execution.outcome()).isEqualTo(ActionOutcome.DRY_RUN);
        assertThat(server.getLastRequest().getPath()).startsWith(pod).contains("dryRun=All");
    }

    @Test
    void conflictIsRetriedWithAFreshRead() {
        server.expect().get().withPath(GATEWAY).andReturn(200, Commands.deployment("prod", "gateway", 3))
                .times(2);
        server.expect().put().withPath(GATEWAY).andReturn(409, "{\"kind\":\"Status\",\"code\":409}").once();
        server.expect().put().withPath(GATEWAY).andReturn(200, Commands.deployment("prod", "gateway", 4))
                .once();

        Execution execution = new ScaleExecutor(Commands.calls(client), safety).execute(Commands.scale("c1", "prod", "4"), false);

        assertThat(execution.outcome()).isEqualTo(ActionOutcome.APPLIED);
        assertThat(execution.attempts()).isEqualTo(2);
    }
}
