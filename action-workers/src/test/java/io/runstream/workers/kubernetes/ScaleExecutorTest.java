package io.runstream.workers.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionMode;
import io.runstream.common.service.Metrics;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionType;
import io.runstream.workers.ActionExecutor;
import io.runstream.workers.CommandHandler;
import io.runstream.workers.Commands;
import io.runstream.workers.DoneCommands;
import io.runstream.workers.RemediationMode;
import io.runstream.workers.SafetyPolicy;

@EnableKubernetesMockClient(crud = true)
class ScaleExecutorTest {

    KubernetesClient client;

    private final SafetyPolicy safety = new SafetyPolicy(List.of(), List.of("kube-system"), 20, 5, 3, 30,
            Duration.ofMinutes(30), null);

    @BeforeEach
    void givenGatewayWithThreeReplicas() {
        client.resource(Commands.deployment("prod", "gateway", 3)).create();
        client.resource(Commands.deployment("kube-system", "gateway", 3)).create();
    }

    private CommandHandler handler(RemediationMode mode) {
        List<ActionExecutor> executors = List.of(new ScaleExecutor(Commands.calls(client), safety));
        return new CommandHandler(executors, mode, safety, new DoneCommands(1000),
                Clock.fixed(Commands.NOW, ZoneOffset.UTC), "worker-1", new SimpleMeterRegistry());
    }

    @Test
    void scalesDeploymentAndRecordsBeforeAndAfter() {
        ActionResult result = handler(RemediationMode.ENFORCE).handle(Commands.scale("cmd-1", "prod", "6")).orElseThrow();

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.APPLIED);
        assertThat(result.getBefore()).containsEntry("replicas", "3");
        assertThat(result.getAfter()).containsEntry("replicas", "6");
        Deployment now = client.apps().deployments().inNamespace("prod").withName("gateway").get();
        assertThat(now.getSpec().getReplicas()).isEqualTo(6);
        assertThat(now.getMetadata().getAnnotations()).containsEntry("runstream.io/command-id", "cmd-1");
    }

    @Test
    void sameCommandDeliveredTwiceChangesOnceAndAnswersOnce() {
        CommandHandler handler = handler(RemediationMode.ENFORCE);
        assertThat(handler.handle(Commands.scale("cmd-1", "prod", "5"))).isPresent();

        assertThat(handler.handle(Commands.scale("cmd-1", "prod", "5"))).isEmpty();
    }

    @Test
    void afterCrashBetweenChangeAndResultTheMarkerPreventsASecondChange() {
        // given: the change was made, then the worker died before publishing; a fresh worker has no done ids
        handler(RemediationMode.ENFORCE).handle(Commands.scale("cmd-1", "prod", "5"));
        String versionAfterChange = client.apps().deployments().inNamespace("prod").withName("gateway").get()
                .getMetadata().getResourceVersion();

        ActionResult again = handler(RemediationMode.ENFORCE).handle(Commands.scale("cmd-1", "prod", "5")).orElseThrow();

        // the marker says the change is made; the rollout nobody saw complete is verified again
        assertThat(again.getOutcome()).isEqualTo(ActionOutcome.APPLIED);
        assertThat(again.getMessage()).contains("this command already scaled");
        assertThat(client.apps().deployments().inNamespace("prod").withName("gateway").get().getMetadata()
                .getResourceVersion()).isEqualTo(versionAfterChange);
    }

    @Test
    void relativeScaleAddsToCurrentReplicas() {
        ActionResult result = handler(RemediationMode.ENFORCE).handle(Commands.command("cmd-2", ActionType.SCALE,
                "Deployment", "prod", "gateway", Map.of("delta", "+2"))).orElseThrow();

        assertThat(result.getAfter()).containsEntry("replicas", "5");
    }

    @Test
    void refusesDeniedNamespace() {
        assertRejected(handler(RemediationMode.ENFORCE).handle(Commands.scale("c", "kube-system", "4")).orElseThrow(),
                "namespace_denied");
    }

    @Test
    void refusesReplicaCapAndLargeStep() {
        assertRejected(handler(RemediationMode.ENFORCE).handle(Commands.scale("c1", "prod", "25")).orElseThrow(),
                "replica_cap");
        assertRejected(handler(RemediationMode.ENFORCE).handle(Commands.scale("c2", "prod", "10")).orElseThrow(),
                "scale_step");
    }

    @Test
    void refusesMalformedParametersAndUnknownAction() {
        assertRejected(handler(RemediationMode.ENFORCE).handle(Commands.scale("c1", "prod", "six")).orElseThrow(),
                "malformed_parameters");
        assertRejected(handler(RemediationMode.ENFORCE).handle(Commands.command("c2", ActionType.UNKNOWN,
                "Deployment", "prod", "gateway", Map.of())).orElseThrow(), "unknown_action");
    }

    @Test
    void offModeRefusesAndDryRunChangesNothing() {
        assertRejected(handler(RemediationMode.OFF).handle(Commands.scale("c1", "prod", "4")).orElseThrow(),
                "mode_off");

        ActionResult dry = handler(RemediationMode.DRY_RUN).handle(Commands.scale("c2", "prod", "4")).orElseThrow();

        assertThat(dry.getOutcome()).isEqualTo(ActionOutcome.DRY_RUN);
        assertThat(dry.getAfter()).containsEntry("replicas", "4");
        // the CRUD mock ignores dryRun=All; DryRunAndPermissionsTest asserts the parameter is sent
    }

    @Test
    void expiredCommandIsSkipped() {
        var late = Commands.scale("c1", "prod", "4");
        late.setExpiresAt(Commands.NOW.minusSeconds(1));

        ActionResult result = handler(RemediationMode.ENFORCE).handle(late).orElseThrow();

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.EXPIRED);
        assertThat(client.apps().deployments().inNamespace("prod").withName("gateway").get().getSpec()
                .getReplicas()).isEqualTo(3);
    }

    @Test
    void aCommandIssuedLongerAgoThanMaxCommandExpiryIsSkippedWhateverItsOwnExpirySays() {
        // given: a command issued 25 hours ago that claims to be valid for another hour
        var stale = Commands.scale("c1", "prod", "4");
        stale.setIssuedAt(Commands.NOW.minus(Duration.ofHours(25)));
        stale.setExpiresAt(Commands.NOW.plus(Duration.ofHours(1)));

        ActionResult result = handler(RemediationMode.ENFORCE).handle(stale).orElseThrow();

        // then: the 24h default cap refuses it, saying why, and nothing changes
        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.EXPIRED);
        assertThat(result.getMessage()).contains("safety.maxCommandExpiry PT24H");
        assertThat(client.apps().deployments().inNamespace("prod").withName("gateway").get().getSpec()
                .getReplicas()).isEqualTo(3);
    }

    @Test
    void fourthActionOnOneTargetWithinWindowIsRateLimited() {
        CommandHandler handler = handler(RemediationMode.ENFORCE);
        handler.handle(Commands.scale("c1", "prod", "4"));
        handler.handle(Commands.scale("c2", "prod", "5"));
        handler.handle(Commands.scale("c3", "prod", "6"));

        assertRejected(handler.handle(Commands.scale("c4", "prod", "7")).orElseThrow(), "rate_limited");
    }

    @Test
    void aRestartedWorkerKeepsTheRateLimitAndDoneIdsOfEarlierResults() {
        CommandHandler before = handler(RemediationMode.ENFORCE);
        List<ActionResult> published = List.of(before.handle(Commands.scale("c1", "prod", "4")).orElseThrow(),
                before.handle(Commands.scale("c2", "prod", "5")).orElseThrow(),
                before.handle(Commands.scale("c3", "prod", "6")).orElseThrow());

        CommandHandler restarted = handler(RemediationMode.ENFORCE);
        restarted.restore(published);

        assertThat(restarted.handle(Commands.scale("c3", "prod", "6"))).isEmpty();
        assertRejected(restarted.handle(Commands.scale("c4", "prod", "7")).orElseThrow(), "rate_limited");
    }

    @Test
    void metricsCountCommandsByTypeAndOutcomeWithLatencyRateLimitsAndDryRuns() {
        PrometheusMeterRegistry registry = Metrics.newRegistry("action-workers");
        CommandHandler handler = new CommandHandler(List.of(new ScaleExecutor(Commands.calls(client), safety)),
                RemediationMode.ENFORCE, safety, new DoneCommands(1000), Clock.fixed(Commands.NOW, ZoneOffset.UTC),
                "worker-1", registry);
        handler.handle(Commands.scale("m1", "prod", "4"));
        handler.handle(Commands.scale("m1", "prod", "4"));
        ActionCommand dry = Commands.scale("m2", "prod", "5");
        dry.setMode(ActionMode.DRY_RUN);
        handler.handle(dry);
        // the CRUD mock ignores dry run, so the gateway now runs 5
        handler.handle(Commands.scale("m3", "prod", "6"));
        handler.handle(Commands.scale("m4", "prod", "7"));

        String scrape = registry.scrape();

        assertThat(scrape).contains(
                "runstream_action_commands_total{outcome=\"APPLIED\",service=\"action-workers\",type=\"SCALE\"} 2.0",
                "runstream_action_commands_total{outcome=\"DRY_RUN\",service=\"action-workers\",type=\"SCALE\"} 1.0",
                "runstream_action_commands_total{outcome=\"REJECTED\",service=\"action-workers\",type=\"SCALE\"} 1.0",
                "runstream_action_rate_limited_total{service=\"action-workers\",type=\"SCALE\"} 1.0",
                "runstream_action_dry_runs_total{service=\"action-workers\",type=\"SCALE\"} 1.0",
                "runstream_action_duplicates_total{service=\"action-workers\"} 1.0",
                "runstream_action_execution_seconds_count{outcome=\"APPLIED\",service=\"action-workers\",type=\"SCALE\"} 2",
                "runstream_action_execution_seconds_bucket{");
    }

    private static void assertRejected(ActionResult result, String reasonCode) {
        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.REJECTED);
        assertThat(result.getReasonCode()).isEqualTo(reasonCode);
    }
}
