package io.runstream.workers.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionType;
import io.runstream.workers.CommandHandler;
import io.runstream.workers.Commands;
import io.runstream.workers.DoneCommands;
import io.runstream.workers.NoClientRetries;
import io.runstream.workers.RemediationMode;
import io.runstream.workers.SafetyPolicy;

/** Every Kubernetes action on the CRUD mock: the change kubectl would make, before/after, and exactly once. */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = NoClientRetries.class)
class KubernetesActionsTest {

    KubernetesClient client;
    KubernetesMockServer server;

    private final SafetyPolicy safety = new SafetyPolicy(List.of(), List.of("kube-system"), 20, 5, 3, 30,
            Duration.ofMinutes(30), null);

    @BeforeEach
    void givenTheMlPlatformWorkloads() {
        Deployment gateway = new DeploymentBuilder(Commands.deployment("prod", "gateway", 3)).editMetadata()
                .addToAnnotations(RolloutUndoExecutor.REVISION, "3").endMetadata().editSpec().editTemplate()
                .editSpec().editFirstContainer().withImage("registry.example/gateway:1.9.0")
                .withEnv(new EnvVar("MODEL_VERSION", "v12", null), new EnvVar("DEBUG", "1", null))
                .endContainer().endSpec().endTemplate().endSpec().build();
        Deployment created = client.resource(gateway).create();
        for (int revision = 1; revision <= 3; revision++) {
            Deployment atRevision = new DeploymentBuilder(gateway).editSpec().editTemplate().editSpec()
                    .editFirstContainer().withImage("registry.example/gateway:1." + (6 + revision) + ".0")
                    .endContainer().endSpec().endTemplate().endSpec().build();
            client.resource(replicaSet(created, revision, atRevision)).create();
        }
        client.resource(new StatefulSetBuilder().withNewMetadata().withNamespace("ml").withName("feature-store")
                .endMetadata().withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "feature-store")
                .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "feature-store").endMetadata()
                .withNewSpec().addNewContainer().withName("redis").withImage("redis:7.2").endContainer()
                .addNewContainer().withName("server").withImage("registry.example/feature-store:2.3.1")
                .withNewResources().addToLimits("memory", new Quantity("2Gi")).endResources().endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
        client.resource(new ConfigMapBuilder().withNewMetadata().withNamespace("ml").withName("model-server-config")
                .endMetadata().addToData("MODEL_VERSION", "v12").addToData("BATCH_SIZE", "64").build()).create();
        client.resource(new PodBuilder().withNewMetadata().withNamespace("prod").withName("gateway-7d9f-x2x")
                .endMetadata().withNewSpec().withNodeName("node-a")
                .endSpec().build()).create();
    }

    /** A ReplicaSet as the deployment controller leaves it: revision annotation, hash label, controller owner. */
    private static HasMetadata replicaSet(Deployment owner, int revision, Deployment atRevision) {
        String hash = "h" + revision;
        return new ReplicaSetBuilder().withNewMetadata().withNamespace("prod").withName("gateway-" + hash)
                .addToLabels("app", "gateway").addToLabels("pod-template-hash", hash)
                .addToAnnotations(RolloutUndoExecutor.REVISION, Integer.toString(revision)).addNewOwnerReference()
                .withApiVersion("apps/v1").withKind("Deployment").withName("gateway")
                .withUid(owner.getMetadata().getUid()).withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "gateway").endSelector()
                .withTemplate(atRevision.getSpec().getTemplate()).editTemplate().editMetadata()
                .addToLabels("pod-template-hash", hash).endMetadata().endTemplate().endSpec().build();
    }

    private CommandHandler handler() {
        return new CommandHandler(KubernetesExecutors.all(Commands.calls(client), safety), RemediationMode.ENFORCE,
                safety, new DoneCommands(1000), Clock.fixed(Commands.NOW, ZoneOffset.UTC), "worker-1",
                new SimpleMeterRegistry());
    }

    private ActionResult run(ActionCommand command) {
        return handler().handle(command).orElseThrow();
    }

    private Deployment gateway() {
        return client.apps().deployments().inNamespace("prod").withName("gateway").get();
    }

    private StatefulSet featureStore() {
        return client.apps().statefulSets().inNamespace("ml").withName("feature-store").get();
    }

    private static ActionCommand onGateway(String id, ActionType type, Map<String, String> parameters) {
        return Commands.command(id, type, "Deployment", "prod", "gateway", parameters);
    }

    @Test
    void rolloutRestartStampsRestartedAtLikeKubectl() {
        ActionResult result = run(onGateway("restart-1", ActionType.ROLLOUT_RESTART, Map.of()));

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.APPLIED);
        assertThat(result.getBefore()).containsEntry("restartedAt", "never");
        assertThat(result.getAfter()).containsEntry("restartedAt", Commands.NOW.toString());
        assertThat(gateway().getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(RolloutRestartExecutor.RESTARTED_AT, Commands.NOW.toString());
    }

    @Test
    void setEnvSwitchesModelVersionAndRemovesDebug() {
        ActionResult result = run(onGateway("env-1", ActionType.SET_ENV,
                Map.of("env.MODEL_VERSION", "v11", "unset", "DEBUG")));

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.APPLIED);
        assertThat(result.getBefore()).containsEntry("env.MODEL_VERSION", "v12").containsEntry("env.DEBUG", "1");
        assertThat(result.getAfter()).containsEntry("env.MODEL_VERSION", "v11").containsEntry("env.DEBUG", "<unset>");
        assertThat(gateway().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .containsExactly(new EnvVar("MODEL_VERSION", "v11", null));
    }

    @Test
    void setResourcesRaisesTheMemoryLimitOfTheNamedStatefulSetContainer() {
        ActionCommand command = Commands.command("oom-1", ActionType.SET_RESOURCES, "StatefulSet", "ml",
                "feature-store", Map.of("limits.memory", "4Gi", "requests.memory", "3Gi"));
        command.getTarget().setContainer("server");

        ActionResult result = run(command);

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.APPLIED);
        assertThat(result.getBefore()).containsEntry("limits.memory", "2Gi").containsEntry("requests.memory",
                "<unset>");
        assertThat(result.getAfter()).containsEntry("limits.memory", "4Gi");
        var server = featureStore().getSpec().getTemplate().getSpec().getContainers().get(1);
        assertThat(server.getResources().getLimits()).containsEntry("memory", new Quantity("4Gi"));
        assertThat(server.getResources().getRequests()).containsEntry("memory", new Quantity("3Gi"));
    }

    @Test
    void statefulSetsScaleAndRestartLikeDeployments() {
        ActionResult scaled = run(Commands.command("sts-1", ActionType.SCALE, "StatefulSet", "ml", "feature-store",
                Map.of("delta", "+1")));
        ActionResult restarted = run(Commands.command("sts-2", ActionType.ROLLOUT_RESTART, "StatefulSet", "ml",
                "feature-store", Map.of()));

        assertThat(scaled.getAfter()).containsEntry("replicas", "3");
        assertThat(restarted.getOutcome()).isEqualTo(ActionOutcome.APPLIED);
        assertThat(featureStore().getSpec().getReplicas()).isEqualTo(3);
        assertThat(featureStore().getSpec().getTemplate().getMetadata().getAnnotations())
                .containsKey(RolloutRestartExecutor.RESTARTED_AT);
    }

    @Test
    void rolloutUndoReturnsToThePreviousRevision() {
        ActionResult result = run(onGateway("undo-1", ActionType.ROLLOUT_UNDO, Map.of()));

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.APPLIED);
        assertThat(result.getBefore()).containsEntry("revision", "3")
                .containsEntry("image.gateway", "registry.example/gateway:1.9.0");
        assertThat(result.getAfter()).containsEntry("revision", "2")
                .containsEntry("image.gateway", "registry.example/gateway:1.8.0");
        assertThat(gateway().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.example/gateway:1.8.0");
        assertThat(gateway().getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey("pod-template-hash");
        assertThat(gateway().getMetadata().getAnnotations().get(TemplateChange.CHANGE_CAUSE))
                .startsWith("runstream: undo gateway from revision 3 to 2").contains("inc-gateway-5xx-001");
        // the mock bumps generations like an API server: the watcher will know this rollout as Runstream's own
        assertThat(gateway().getMetadata().getGeneration()).isEqualTo(2L);
        assertThat(gateway().getMetadata().getAnnotations()).containsEntry(KubernetesCalls.OWN_GENERATION, "2");
    }

    @Test
    void rolloutUndoGoesToANamedRevision() {
        ActionResult result = run(onGateway("undo-2", ActionType.ROLLOUT_UNDO, Map.of("toRevision", "1")));

        assertThat(result.getAfter()).containsEntry("revision", "1");
        assertThat(gateway().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.example/gateway:1.7.0");
    }

    @Test
    void rolloutUndoRedeliveredAfterTheControllerRenumberedTheRevisionChangesNothing() {
        ActionCommand undo = onGateway("undo-4", ActionType.ROLLOUT_UNDO, Map.of("toRevision", "2"));
        run(undo);
        // the deployment controller moves the undone-to ReplicaSet to a new revision number
        client.apps().replicaSets().inNamespace("prod").withName("gateway-h2")
                .edit(rs -> new ReplicaSetBuilder(rs).editMetadata()
                        .addToAnnotations(RolloutUndoExecutor.REVISION, "4").endMetadata().build());
        String version = gateway().getMetadata().getResourceVersion();

        ActionResult again = run(undo);

        // made once; still APPLIED because no controller has completed its rollout on the mock
        assertThat(again.getOutcome()).isEqualTo(ActionOutcome.APPLIED);
        assertThat(again.getMessage()).contains("this command already applied");
        assertThat(gateway().getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    void rolloutUndoToARevisionThatDoesNotExistIsRejected() {
        ActionResult result = run(onGateway("undo-3", ActionType.ROLLOUT_UNDO, Map.of("toRevision", "9")));

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.REJECTED);
        assertThat(result.getReasonCode()).isEqualTo("revision_not_found");
        assertThat(result.getMessage()).contains("no revision 9");
    }

    @Test
    void patchConfigMapSetsAndRemovesKeys() {
        ActionResult result = run(Commands.command("cm-1", ActionType.PATCH_CONFIGMAP, "ConfigMap", "ml",
                "model-server-config", Map.of("data.MODEL_VERSION", "v11", "remove", "BATCH_SIZE")));

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(result.getBefore()).containsEntry("data.MODEL_VERSION", "v12").containsEntry("data.BATCH_SIZE",
                "64");
        assertThat(result.getAfter()).containsEntry("data.BATCH_SIZE", "<unset>");
        assertThat(client.configMaps().inNamespace("ml").withName("model-server-config").get().getData())
                .containsExactlyEntriesOf(Map.of("MODEL_VERSION", "v11"));
    }

    @Test
    void deletePodDeletesItOnceWhileItTerminates() {
        ActionCommand delete = Commands.command("pod-1", ActionType.DELETE_POD, "Pod", "prod", "gateway-7d9f-x2x",
                Map.of("gracePeriodSeconds", "30"));
        // the mock stamps its own creation time; the command comes after it
        delete.setIssuedAt(Instant.parse(client.pods().inNamespace("prod").withName("gateway-7d9f-x2x").get()
                .getMetadata().getCreationTimestamp()).plusSeconds(1));

        ActionResult first = run(delete);
        ActionResult again = run(delete);

        assertThat(first.getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(first.getBefore()).containsEntry("node", "node-a");
        assertThat(first.getAfter()).containsEntry("pod", "deleted");
        assertThat(again.getOutcome()).isEqualTo(ActionOutcome.ALREADY_APPLIED);
    }

    @Test
    void deletePodLeavesAReplacementCreatedAfterTheCommandAlone() {
        // given: the pod was deleted, the worker died, and a StatefulSet brought a pod of the same name back
        client.pods().inNamespace("prod").withName("gateway-7d9f-x2x").withGracePeriod(0).delete();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.pods().inNamespace("prod").withName("gateway-7d9f-x2x").get() == null);
        client.resource(new PodBuilder().withNewMetadata().withNamespace("prod").withName("gateway-7d9f-x2x")
                .endMetadata().build()).create();

        ActionResult again = run(Commands.command("pod-1", ActionType.DELETE_POD, "Pod", "prod",
                "gateway-7d9f-x2x", Map.of()));

        assertThat(again.getOutcome()).isEqualTo(ActionOutcome.ALREADY_APPLIED);
        assertThat(again.getMessage()).contains("after the command was issued");
        assertThat(client.pods().inNamespace("prod").withName("gateway-7d9f-x2x").get().getMetadata()
                .getDeletionTimestamp()).isNull();
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                Arguments.of(onGateway("x-restart", ActionType.ROLLOUT_RESTART, Map.of())),
                Arguments.of(onGateway("x-undo", ActionType.ROLLOUT_UNDO, Map.of())),
                Arguments.of(onGateway("x-env", ActionType.SET_ENV, Map.of("env.MODEL_VERSION", "v11"))),
                Arguments.of(onGateway("x-res", ActionType.SET_RESOURCES, Map.of("limits.cpu", "2"))),
                Arguments.of(Commands.command("x-cm", ActionType.PATCH_CONFIGMAP, "ConfigMap", "ml",
                        "model-server-config", Map.of("data.MODEL_VERSION", "v11"))));
    }

    @ParameterizedTest
    @MethodSource("changes")
    void afterACrashBeforeTheResultTheRedeliveredCommandChangesNothing(ActionCommand command) {
        // given: the change was made, then the worker died before publishing; a fresh worker has no done ids
        boolean rollout = !"ConfigMap".equals(command.getTarget().getKind());
        assertThat(run(command).getOutcome()).isEqualTo(rollout ? ActionOutcome.APPLIED : ActionOutcome.SUCCEEDED);
        String versionAfterChange = resourceVersion(command);

        ActionResult again = run(command);

        // nothing changes twice; a rollout nobody has seen complete yet is still verified (APPLIED)
        assertThat(again.getOutcome()).isEqualTo(rollout ? ActionOutcome.APPLIED : ActionOutcome.ALREADY_APPLIED);
        assertThat(again.getMessage()).contains("this command already applied");
        assertThat(resourceVersion(command)).isEqualTo(versionAfterChange);
    }

    private String resourceVersion(ActionCommand command) {
        return "ConfigMap".equals(command.getTarget().getKind())
                ? client.configMaps().inNamespace("ml").withName("model-server-config").get().getMetadata()
                        .getResourceVersion()
                : gateway().getMetadata().getResourceVersion();
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of(onGateway("m1", ActionType.SET_ENV, Map.of("env.1BAD", "x")), "malformed_parameters"),
                Arguments.of(onGateway("m2", ActionType.SET_ENV, Map.of("image", "evil:latest")),
                        "malformed_parameters"),
                Arguments.of(onGateway("m3", ActionType.SET_RESOURCES, Map.of("limits.memory", "lots")),
                        "malformed_parameters"),
                Arguments.of(onGateway("m4", ActionType.SET_RESOURCES, Map.of("limits.storage", "1Gi")),
                        "malformed_parameters"),
                Arguments.of(onGateway("m5", ActionType.ROLLOUT_RESTART, Map.of("force", "true")),
                        "malformed_parameters"),
                Arguments.of(onGateway("m6", ActionType.ROLLOUT_UNDO, Map.of("toRevision", "-1")),
                        "malformed_parameters"),
                Arguments.of(onGateway("m7", ActionType.SET_ENV, Map.of("env.NOTES", "x".repeat(20_000))),
                        "malformed_parameters"),
                Arguments.of(Commands.command("m8", ActionType.PATCH_CONFIGMAP, "ConfigMap", "ml",
                        "model-server-config", Map.of("data.bad key!", "x")), "malformed_parameters"),
                Arguments.of(Commands.command("m9", ActionType.DELETE_POD, "Pod", "prod", "gateway-7d9f-x2x",
                        Map.of("gracePeriodSeconds", "forever")), "malformed_parameters"),
                Arguments.of(Commands.command("m10", ActionType.SET_ENV, "ConfigMap", "ml", "model-server-config",
                        Map.of("env.A", "b")), "unsupported_kind"),
                Arguments.of(Commands.command("m11", ActionType.ROLLOUT_UNDO, "StatefulSet", "ml", "feature-store",
                        Map.of()), "unsupported_kind"),
                Arguments.of(Commands.command("m12", ActionType.DELETE_POD, "Pod", null, "gateway-7d9f-x2x",
                        Map.of()), "malformed_parameters"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedCommandsAreRejectedWithAReasonAndChangeNothing(ActionCommand command, String reasonCode) {
        String gatewayVersion = gateway().getMetadata().getResourceVersion();

        ActionResult result = run(command);

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.REJECTED);
        assertThat(result.getReasonCode()).isEqualTo(reasonCode);
        assertThat(result.getMessage()).isNotBlank();
        assertThat(gateway().getMetadata().getResourceVersion()).isEqualTo(gatewayVersion);
        assertThat(client.pods().inNamespace("prod").withName("gateway-7d9f-x2x").get()).isNotNull();
    }

    @Test
    void theExecutorRoleGrantsExactlyTheRequestsTheActionsMake() throws Exception {
        int setupRequests = server.getRequestCount();
        ActionCommand resources = Commands.command("r-sts", ActionType.SET_RESOURCES, "StatefulSet", "ml",
                "feature-store", Map.of("limits.memory", "4Gi"));
        ActionCommand deletePod = Commands.command("r-pod", ActionType.DELETE_POD, "Pod", "prod",
                "gateway-7d9f-x2x", Map.of());
        deletePod.setIssuedAt(Instant.now().plusSeconds(5));
        List.of(onGateway("r-scale", ActionType.SCALE, Map.of("replicas", "4")),
                onGateway("r-undo", ActionType.ROLLOUT_UNDO, Map.of()), resources,
                Commands.command("r-cm", ActionType.PATCH_CONFIGMAP, "ConfigMap", "ml", "model-server-config",
                        Map.of("data.BATCH_SIZE", "32")), deletePod)
                .forEach(c -> assertThat(run(c).getOutcome()).isIn(ActionOutcome.APPLIED, ActionOutcome.SUCCEEDED));

        Set<String> used = new TreeSet<>();
        int total = server.getRequestCount();
        for (int i = 0; i < total; i++) {
            RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
            if (i >= setupRequests) {
                used.add(permission(request.getMethod(), request.getPath()));
            }
        }
        Set<String> granted = new TreeSet<>();
        ClusterRole role = client.getKubernetesSerialization().unmarshal(
                Files.readString(Path.of("../deploy/kubernetes/clusterrole-executor.yaml")), ClusterRole.class);
        role.getRules().forEach(rule -> rule.getResources().forEach(resource -> rule.getVerbs().forEach(verb ->
                granted.add(verb + " " + resource + (rule.getApiGroups().get(0).isEmpty() ? ""
                        : "." + rule.getApiGroups().get(0))))));

        assertThat(used).isEqualTo(granted);
    }

    /** "verb resource.group" of one API request, as RBAC names it. */
    private static String permission(String method, String path) {
        Matcher m = Pattern.compile("/(?:api/v1|apis/([^/]+)/v1)/namespaces/[^/]+/([^/?]+)(/[^/?]+)?.*")
                .matcher(path);
        assertThat(m.matches()).as(path).isTrue();
        String verb = switch (method) {
            case "GET" -> m.group(3) != null ? "get" : path.contains("watch=true") ? "watch" : "list";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> "create";
        };
        return verb + " " + m.group(2) + (m.group(1) == null ? "" : "." + m.group(1));
    }

    @Test
    void aMissingContainerIsRejectedNamingIt() {
        ActionCommand command = onGateway("m13", ActionType.SET_ENV, Map.of("env.A", "b"));
        command.getTarget().setContainer("sidecar");

        ActionResult result = run(command);

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.REJECTED);
        assertThat(result.getMessage()).contains("no container sidecar");
    }
}
