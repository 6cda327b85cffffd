package io.runstream.workers.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.runstream.avro.ActionOutcome;
import io.runstream.workers.Commands;
import io.runstream.workers.Execution;
import io.runstream.workers.SafetyPolicy;

/** Calls the CRUD mock cannot model: server-side dry run, permission errors, conflicts. */
@EnableKubernetesMockClient
class DryRunAndPermissionsTest {

    KubernetesMockServer server;
    KubernetesClient client;

    private static final String GATEWAY = "/apis/apps/v1/namespaces/prod/deployments/gateway";
    private final SafetyPolicy safety = new SafetyPolicy(List.of(), List.of("kube-system"), 20, 5, 3, 30,
            Duration.ofMinutes(30));

    @Test
    void dryRunSendsServerSideDryRunAndReportsWhatWouldChange() throws Exception {
        server.expect().get().withPath(GATEWAY).andReturn(200, Commands.deployment("prod", "gateway", 3))
                .once();
        server.expect().put().withPath(GATEWAY + "?dryRun=All")
                .andReturn(200, Commands.deployment("prod", "gateway", 4)).once();

        Execution execution = new ScaleExecutor(client, safety).execute(Commands.scale("c1", "prod", "4"), true);

        assertThat(execution.outcome()).isEqualTo(ActionOutcome.DRY_RUN);
        assertThat(execution.after()).containsEntry("replicas", "4");
        assertThat(server.getLastRequest().getPath()).isEqualTo(GATEWAY + "?dryRun=All");
    }

    @Test
    void forbiddenIsAFailureNamingTheMissingPermission() {
        server.expect().get().withPath(GATEWAY).andReturn(200, Commands.deployment("prod", "gateway", 3))
                .once();
        server.expect().put().withPath(GATEWAY).andReturn(403, "{\"kind\":\"Status\",\"code\":403}").once();

        Execution execution = new ScaleExecutor(client, safety).execute(Commands.scale("c1", "prod", "4"), false);

        assertThat(execution.outcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(execution.reasonCode()).isEqualTo("forbidden");
        assertThat(execution.message()).contains("update Deployment prod/gateway");
    }

    @Test
    void conflictIsRetriedWithAFreshRead() {
        server.expect().get().withPath(GATEWAY).andReturn(200, Commands.deployment("prod", "gateway", 3))
                .times(2);
        server.expect().put().withPath(GATEWAY).andReturn(409, "{\"kind\":\"Status\",\"code\":409}").once();
        server.expect().put().withPath(GATEWAY).andReturn(200, Commands.deployment("prod", "gateway", 4))
                .once();

        Execution execution = new ScaleExecutor(client, safety).execute(Commands.scale("c1", "prod", "4"), false);

        assertThat(execution.outcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(execution.attempts()).isEqualTo(2);
    }
}
