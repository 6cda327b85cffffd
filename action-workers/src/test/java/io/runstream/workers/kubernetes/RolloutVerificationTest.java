package io.runstream.workers.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionMode;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionType;
import io.runstream.common.service.Metrics;
import io.runstream.workers.CommandHandler;
import io.runstream.workers.CommandLoop;
import io.runstream.workers.Commands;
import io.runstream.workers.DoneCommands;
import io.runstream.workers.MovableClock;
import io.runstream.workers.NoClientRetries;
import io.runstream.workers.RemediationMode;
import io.runstream.workers.SafetyPolicy;
import io.runstream.workers.Verifier;

/**
 * Verified outcomes (issue 17, item 1): a rollout-starting action answers APPLIED, and its final result follows
 * the rollout as {@code kubectl rollout status} sees it - runbook 003, "Mitigation Actions, Option 1" (undo, then
 * watch the rollout), runbook 001, "Out of Memory Errors" (scale), runbook 004, HighMemoryUsage (raise limits).
 * The CRUD mock has no deployment controller, so {@link DeploymentController} writes the status it would.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = NoClientRetries.class)
class RolloutVerificationTest {

    KubernetesClient client;

    private final MovableClock clock = new MovableClock(Commands.NOW);
    private final PrometheusMeterRegistry registry = Metrics.newRegistry("action-workers");
    private final List<ActionResult> published = new CopyOnWriteArrayList<>();
    private RolloutVerifier verifier;
    private DeploymentController controller;

    @BeforeEach
    void givenTheInferenceGatewayAtRevisionTwoWithFourReplicas() {
        Deployment gateway = new DeploymentBuilder(Commands.deployment("prod", "inference-gateway", 4))
                .editMetadata().addToAnnotations(RolloutUndoExecutor.REVISION, "2").endMetadata().editSpec()
                .editTemplate().editSpec().editFirstContainer().withImage("registry.example/inference-gateway:2.4.0")
                .endContainer().endSpec().endTemplate().endSpec().build();
        Deployment created = client.resource(gateway).create();
        for (int revision = 1; revision <= 2; revision++) {
            String hash = "h" + revision;
            client.resource(new ReplicaSetBuilder().withNewMetadata().withNamespace("prod")
                    .withName("inference-gateway-" + hash).addToLabels("app", "inference-gateway")
                    .addToLabels("pod-template-hash", hash)
                    .addToAnnotations(RolloutUndoExecutor.REVISION, Integer.toString(revision))
                    .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment")
                    .withName("inference-gateway").withUid(created.getMetadata().getUid()).withController(true)
                    .endOwnerReference().endMetadata().withNewSpec().withNewSelector()
                    .addToMatchLabels("app", "inference-gateway").endSelector()
                    .withTemplate(new DeploymentBuilder(gateway).editSpec().editTemplate().editSpec()
                            .editFirstContainer().withImage("registry.example/inference-gateway:2." + (2 + revision)
                                    + ".0").endContainer().endSpec().endTemplate().endSpec().build().getSpec()
                            .getTemplate())
                    .endSpec().build()).create();
        }
        controller = new DeploymentController(client, "prod", "inference-gateway");
        controller.complete();
        verifier = new RolloutVerifier(client, clock, Duration.ofMillis(50), Duration.ofMinutes(5), registry);
    }

    @AfterEach
    void stopVerifying() {
        verifier.close();
    }

    private CommandHandler handler() {
        return new CommandHandler(KubernetesExecutors.all(Commands.calls(client), SafetyPolicy.DEFAULTS),
                RemediationMode.ENFORCE, SafetyPolicy.DEFAULTS, new DoneCommands(1000),
                Clock.fixed(Commands.NOW, ZoneOffset.UTC), "worker-1", registry);
    }

    private static ActionCommand onGateway(String id, ActionType type, Map<String, String> parameters) {
        return Commands.command(id, type, "Deployment", "prod", "inference-gateway", parameters);
    }

    /** Runs the command and hands an APPLIED result to the verifier, as the command loop does. */
    private ActionResult apply(ActionCommand command) {
        ActionResult result = handler().handle(command).orElseThrow();
        if (result.getOutcome() == ActionOutcome.APPLIED) {
            verifier.follow(result, published::add);
        }
        return result;
    }

    private ActionResult finalResult() {
        await().atMost(Duration.ofSeconds(10)).until(() -> !published.isEmpty());
        assertThat(published).hasSize(1);
        return published.get(0);
    }

    @Test
    void runbook003Option1_rollbackIsAppliedThenSucceedsWhenTheRolloutIsComplete() {
        ActionResult applied = apply(onGateway("undo-1", ActionType.ROLLOUT_UNDO, Map.of()));

        assertThat(applied.getOutcome()).isEqualTo(ActionOutcome.APPLIED);
        assertThat(applied.getAfter()).containsEntry("revision", "1")
                .containsEntry("rolloutDeadline", Commands.NOW.plus(Duration.ofMinutes(5)).toString());
        // the status still shows the previous spec's complete rollout: that is no success for this one
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(published::isEmpty);
        controller.progressing(2, 1, 5);
        clock.advance(Duration.ofSeconds(40));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(published::isEmpty);

        controller.complete();

        ActionResult done = finalResult();
        assertThat(done.getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(done.getReasonCode()).isNull();
        assertThat(done.getCommandId()).isEqualTo("undo-1");
        assertThat(done.getMessage()).contains("rollout of Deployment prod/inference-gateway complete",
                "desired 4, updated 4, available 4, total 4");
        assertThat(done.getBefore()).isEqualTo(applied.getBefore());
        assertThat(done.getAfter()).isEqualTo(applied.getAfter());
        assertThat(done.getStartedAt()).isEqualTo(applied.getStartedAt());
    }

    @Test
    void runbook003Option1_rollbackThatNeverBecomesAvailableFailsAsStalledNamingWhatWasSeen() {
        apply(onGateway("undo-2", ActionType.ROLLOUT_UNDO, Map.of()));

        controller.stalled(2, 0, 5);

        ActionResult done = finalResult();
        assertThat(done.getOutcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(done.getReasonCode()).isEqualTo("rollout_stalled");
        assertThat(done.getMessage()).contains("ProgressDeadlineExceeded", "desired 4, updated 2, available 0",
                "has timed out progressing");
    }

    @Test
    void runbook003Option1_aStallOfTheBadReleaseDoesNotFailTheRollbackThatFixesIt() {
        apply(onGateway("undo-3", ActionType.ROLLOUT_UNDO, Map.of()));

        // the bad release's ProgressDeadlineExceeded is still there until the controller observes the undo
        controller.stalledOnThePreviousSpec();
        clock.advance(Duration.ofSeconds(30));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(published::isEmpty);
        controller.complete();

        assertThat(finalResult().getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
    }

    @Test
    void runbook003Option1_rollbackNotCompleteByItsDeadlineFailsAsTimedOut() {
        apply(onGateway("undo-4", ActionType.ROLLOUT_UNDO, Map.of("rolloutTimeout", "90s")));
        controller.progressing(3, 2, 5);

        clock.advance(Duration.ofSeconds(91));

        ActionResult done = finalResult();
        assertThat(done.getOutcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(done.getReasonCode()).isEqualTo("rollout_timeout");
        // what it names is the status of its last look, which may be from before or after the controller's write
        assertThat(done.getMessage()).contains("not complete by its deadline " + Commands.NOW.plusSeconds(90),
                "desired 4, updated ");
    }

    @Test
    void rolloutTimeoutIsAParameterOfEveryRolloutActionAndAMalformedOneIsRejected() {
        ActionResult iso = apply(onGateway("restart-1", ActionType.ROLLOUT_RESTART, Map.of("rolloutTimeout",
                "PT2M")));
        ActionResult bad = apply(onGateway("env-1", ActionType.SET_ENV, Map.of("env.MODEL_VERSION", "v11",
                "rolloutTimeout", "soon")));
        ActionResult tooLong = apply(onGateway("scale-1", ActionType.SCALE, Map.of("replicas", "5",
                "rolloutTimeout", "2d")));

        assertThat(iso.getOutcome()).isEqualTo(ActionOutcome.APPLIED);
        assertThat(iso.getAfter()).containsEntry("rolloutDeadline", Commands.NOW.plusSeconds(120).toString());
        assertThat(List.of(bad, tooLong)).allSatisfy(r -> {
            assertThat(r.getOutcome()).isEqualTo(ActionOutcome.REJECTED);
            assertThat(r.getReasonCode()).isEqualTo("malformed_parameters");
            assertThat(r.getMessage()).contains("rolloutTimeout");
        });
    }

    @Test
    void runbook001OutOfMemory_scaleSucceedsOnceTheNewReplicasAreAvailable() {
        ActionResult applied = apply(onGateway("scale-2", ActionType.SCALE, Map.of("replicas", "6")));
        assertThat(applied.getOutcome()).isEqualTo(ActionOutcome.APPLIED);

        controller.progressing(6, 4, 6);
        clock.advance(Duration.ofSeconds(10));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(published::isEmpty);
        controller.complete();

        assertThat(finalResult().getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
    }

    @Test
    void aChangeAlreadyInPlaceWithItsRolloutCompleteIsAlreadyAppliedAndNotVerified() {
        ActionResult result = apply(onGateway("scale-3", ActionType.SCALE, Map.of("replicas", "4")));

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.ALREADY_APPLIED);
        assertThat(result.getAfter()).doesNotContainKey("rolloutDeadline");
    }

    @Test
    void aRedeliveredChangeWhoseRolloutIsStillRunningIsVerifiedAgainNotMadeAgain() {
        ActionCommand undo = onGateway("undo-5", ActionType.ROLLOUT_UNDO, Map.of());
        handler().handle(undo);
        controller.progressing(1, 0, 5);

        // a fresh worker without done ids (the first died before its result)
        ActionResult again = apply(undo);

        assertThat(again.getOutcome()).isEqualTo(ActionOutcome.APPLIED);
        assertThat(again.getMessage()).contains("this command already applied", "rollout is not complete");
        assertThat(client.apps().deployments().inNamespace("prod").withName("inference-gateway").get()
                .getMetadata().getGeneration()).isEqualTo(2L);
        controller.complete();
        assertThat(finalResult().getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
    }

    @Test
    void aDryRunIsNeitherAppliedNorVerified() {
        ActionCommand dry = onGateway("undo-6", ActionType.ROLLOUT_UNDO, Map.of());
        dry.setMode(ActionMode.DRY_RUN);

        ActionResult result = apply(dry);

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.DRY_RUN);
        assertThat(result.getAfter()).doesNotContainKey("rolloutDeadline");
    }

    @Test
    void afterARestartAnAppliedChangeIsVerifiedAgainAndOnePastItsDeadlineFails() {
        // given: two APPLIED results a stopped worker published, one still inside its deadline
        ActionResult pending = handler().handle(onGateway("undo-7", ActionType.ROLLOUT_UNDO, Map.of()))
                .orElseThrow();
        ActionResult stale = like(pending, "restart-old", ActionOutcome.APPLIED);
        stale.setAfter(Map.of("rolloutDeadline", Commands.NOW.minusSeconds(1).toString()));
        List<ActionResult> earlier = List.of(pending, stale, like(pending, "scale-done", ActionOutcome.APPLIED),
                like(pending, "scale-done", ActionOutcome.SUCCEEDED));
        controller.progressing(1, 0, 5);

        // when: a new worker starts
        CommandHandler restarted = handler();
        restarted.restore(earlier);
        List<ActionResult> unfinished = CommandLoop.awaitingFinal(earlier);
        unfinished.forEach(r -> verifier.follow(r, published::add));

        // then: the APPLIED commands count as done, and only those without a final result are followed
        assertThat(restarted.handle(onGateway("undo-7", ActionType.ROLLOUT_UNDO, Map.of()))).isEmpty();
        assertThat(unfinished).extracting(ActionResult::getCommandId).containsExactly("undo-7", "restart-old");
        await().atMost(Duration.ofSeconds(10)).until(() -> published.size() == 1);
        assertThat(published.get(0).getCommandId()).isEqualTo("restart-old");
        assertThat(published.get(0).getReasonCode()).isEqualTo("rollout_timeout");
        controller.complete();
        await().atMost(Duration.ofSeconds(10)).until(() -> published.size() == 2);
        assertThat(published.get(1).getCommandId()).isEqualTo("undo-7");
        assertThat(published.get(1).getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
    }

    @Test
    void runbook004HighMemoryUsage_aStatefulSetSucceedsOnceEveryPodRunsTheUpdateRevision() {
        client.resource(new StatefulSetBuilder().withNewMetadata().withNamespace("nimify-system")
                .withName("nimify-cache").endMetadata().withNewSpec().withReplicas(2).withNewSelector()
                .addToMatchLabels("app", "nimify-cache").endSelector().withNewTemplate().withNewMetadata()
                .addToLabels("app", "nimify-cache").endMetadata().withNewSpec().addNewContainer()
                .withName("cache").withImage("redis:7.2").endContainer().endSpec().endTemplate().endSpec()
                .build()).create();
        ActionResult applied = apply(Commands.command("sts-mem", ActionType.SET_RESOURCES, "StatefulSet",
                "nimify-system", "nimify-cache", Map.of("limits.memory", "4Gi")));
        assertThat(applied.getOutcome()).isEqualTo(ActionOutcome.APPLIED);

        // all ready, but one pod still on the old revision: not complete
        statefulSetStatus(2, 1, "nimify-cache-7f9", "nimify-cache-8a1");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(published::isEmpty);
        statefulSetStatus(2, 2, "nimify-cache-8a1", "nimify-cache-8a1");

        ActionResult done = finalResult();
        assertThat(done.getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(done.getMessage()).contains("StatefulSet nimify-system/nimify-cache complete", "ready 2");
    }

    private void statefulSetStatus(int ready, int updated, String current, String update) {
        client.apps().statefulSets().inNamespace("nimify-system").withName("nimify-cache").editStatus(s ->
                new StatefulSetBuilder(s).withNewStatus().withObservedGeneration(s.getMetadata().getGeneration())
                        .withReplicas(2).withReadyReplicas(ready).withUpdatedReplicas(updated)
                        .withCurrentRevision(current).withUpdateRevision(update).endStatus().build());
    }

    @Test
    void aChangeCountsOnceAgainstTheRateLimitThoughItHasTwoResults() {
        // given: a restarted worker reads an APPLIED and a SUCCEEDED result of one scale, and an APPLIED one
        ActionResult first = handler().handle(onGateway("rl-1", ActionType.SCALE, Map.of("replicas", "5")))
                .orElseThrow();
        ActionResult second = handler().handle(onGateway("rl-2", ActionType.SCALE, Map.of("replicas", "6")))
                .orElseThrow();
        CommandHandler restarted = handler();
        restarted.restore(List.of(first, like(first, "rl-1", ActionOutcome.SUCCEEDED), second));

        // then: two changes of three allowed per target were made, so one more is allowed, and then none
        assertThat(restarted.handle(onGateway("rl-3", ActionType.SCALE, Map.of("replicas", "7"))).orElseThrow()
                .getOutcome()).isEqualTo(ActionOutcome.APPLIED);
        assertThat(restarted.handle(onGateway("rl-4", ActionType.SCALE, Map.of("replicas", "8"))).orElseThrow()
                .getReasonCode()).isEqualTo("rate_limited");
    }

    private static ActionResult like(ActionResult result, String commandId, ActionOutcome outcome) {
        ActionResult copy = Verifier.finalOf(result, outcome, null, result.getMessage(), result.getFinishedAt());
        copy.setCommandId(commandId);
        return copy;
    }

    @Test
    void aDeletedDeploymentFailsItsVerificationAsNotFound() {
        apply(onGateway("restart-2", ActionType.ROLLOUT_RESTART, Map.of()));

        client.apps().deployments().inNamespace("prod").withName("inference-gateway").delete();

        assertThat(finalResult().getReasonCode()).isEqualTo("not_found");
    }

    @Test
    void verificationsAreCountedByOutcomeAndReason() {
        apply(onGateway("undo-8", ActionType.ROLLOUT_UNDO, Map.of()));
        controller.stalled(1, 0, 5);
        finalResult();

        assertThat(registry.scrape()).contains(
                "runstream_rollout_verifications_total{outcome=\"FAILED\",reason=\"rollout_stalled\","
                        + "service=\"action-workers\",type=\"ROLLOUT_UNDO\"} 1.0",
                "runstream_rollout_verification_seconds_count{outcome=\"FAILED\",service=\"action-workers\","
                        + "type=\"ROLLOUT_UNDO\"} 1",
                "runstream_rollout_verifications_pending{service=\"action-workers\"} 0.0");
    }
}
