package io.runstream.workers.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.runstream.avro.ActionOutcome;
import io.runstream.workers.Commands;
import io.runstream.workers.Execution;
import io.runstream.workers.RetryPolicy;
import io.runstream.workers.SafetyPolicy;

/** An API server that does not answer in time: the request times out (no HTTP status) and is retried. */
@EnableKubernetesMockClient(kubernetesClientBuilderCustomizer = ApiTimeoutTest.ShortTimeout.class)
class ApiTimeoutTest {

    private static final String GATEWAY = "/apis/apps/v1/namespaces/prod/deployments/gateway";

    private static final RetryPolicy RETRIES = new RetryPolicy(10, Duration.ofMillis(1), Duration.ofMillis(4));

    KubernetesMockServer server;
    KubernetesClient client;

    /** No client retries and a one-second request timeout. */
    public static final class ShortTimeout implements Consumer<KubernetesClientBuilder> {
        @Override
        public void accept(KubernetesClientBuilder builder) {
            builder.editOrNewConfig().withRequestRetryBackoffLimit(0).withRequestTimeout(1000).endConfig();
        }
    }

    @Test
    void aTimedOutUpdateIsRetriedWithAFreshRead() {
        server.expect().get().withPath(GATEWAY).andReturn(200, Commands.deployment("prod", "gateway", 3)).always();
        server.expect().put().delay(3, TimeUnit.SECONDS).withPath(GATEWAY)
                .andReturn(200, Commands.deployment("prod", "gateway", 4)).once();
        server.expect().put().withPath(GATEWAY).andReturn(200, Commands.deployment("prod", "gateway", 4)).once();

        KubernetesCalls calls = new KubernetesCalls(client, Clock.fixed(Commands.NOW, ZoneOffset.UTC), RETRIES);

        Execution execution = new ScaleExecutor(calls, new SafetyPolicy(List.of(),
                List.of("kube-system"), 20, 5, 3, 30, Duration.ofMinutes(30), null))
                .execute(Commands.scale("c1", "prod", "4"), false);

        assertThat(execution.outcome()).as(execution.message()).isEqualTo(ActionOutcome.APPLIED);
        // the retry may itself wait for a pooled connection while the stalled one is still held
        assertThat(execution.attempts()).isBetween(2, RETRIES.maxAttempts());
    }
}
