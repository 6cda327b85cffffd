package io.runstream.launcher.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * The cluster the action workers act on: fabric8's mock API server in CRUD mode on a loopback port, holding the
 * inference gateway's Deployment and the ReplicaSets its rollouts leave behind, as the deployment controller
 * would (revision annotation, controller owner reference, pod-template hash), which is what a rollout undo
 * reads. A {@link ControllerOnTheMock} rolls out every new spec (to completion unless told to stall), so the
 * workers' rollout verification has a Deployment status to read. The workers reach it through a kubeconfig file,
 * as they would reach a real cluster.
 */
final class GatewayCluster implements AutoCloseable {

    static final String NAMESPACE = "ml-prod";
    static final String DEPLOYMENT = "inference-gateway";
    static final String GOOD_IMAGE = "registry.example/inference-gateway:1.2.2";
    static final String BAD_IMAGE = "registry.example/inference-gateway:1.2.3";

    private static final String REVISION = "deployment.kubernetes.io/revision";
    private static final String CHANGE_CAUSE = "kubernetes.io/change-cause";
    private static final String MODEL_VERSION = "MODEL_VERSION";

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final ControllerOnTheMock controller;

    private GatewayCluster(KubernetesMockServer server) {
        this.server = server;
        this.client = server.createClient();
        this.controller = new ControllerOnTheMock(client, NAMESPACE);
    }

    /** A running gateway at revision 1 (image 1.2.2), two replicas. */
    static GatewayCluster startWithGatewayAtRevisionOne() {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        GatewayCluster cluster = new GatewayCluster(server);
        Deployment created = cluster.client.resource(new DeploymentBuilder().withNewMetadata()
                .withNamespace(NAMESPACE).withName(DEPLOYMENT).addToLabels("app", DEPLOYMENT)
                .addToAnnotations(REVISION, "1").addToAnnotations(CHANGE_CAUSE, "deploy inference-gateway 1.2.2")
                .endMetadata().withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", DEPLOYMENT)
                .endSelector().withTemplate(template(GOOD_IMAGE, null)).endSpec().build()).create();
        cluster.createReplicaSet(created, 1, template(GOOD_IMAGE, null));
        return cluster;
    }

    /** What the deployment controller does for {@code kubectl set image}: a new ReplicaSet, revision 2. */
    void rollOutBadRelease() {
        rollOut(template(BAD_IMAGE, null), "deploy inference-gateway 1.2.3");
    }

    /**
     * {@code kubectl set env deployment/inference-gateway MODEL_VERSION=<version>}: the gateway's image serves
     * that model version from the next revision on.
     */
    void rollOutModelVersion(String version) {
        rollOut(template(runningImage(), version), "serve model version " + version);
    }

    /** The gateway's MODEL_VERSION environment variable in its pod template, or null. */
    String modelVersion() {
        return deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(env -> MODEL_VERSION.equals(env.getName())).map(EnvVar::getValue).findFirst().orElse(null);
    }

    /** A new ReplicaSet with the next revision for {@code template}, and the Deployment running it. */
    private void rollOut(PodTemplateSpec template, String cause) {
        Deployment current = deployment();
        int revision = Integer.parseInt(current.getMetadata().getAnnotations().get(REVISION)) + 1;
        createReplicaSet(current, revision, template);
        // the mock's controller writes the Deployment's status meanwhile: on 409, read again and retry, as kubectl does
        for (int attempt = 1; ; attempt++) {
            try {
                client.apps().deployments().inNamespace(NAMESPACE).withName(DEPLOYMENT).edit(d -> new DeploymentBuilder(
                        d).editMetadata().addToAnnotations(REVISION, Integer.toString(revision))
                        .addToAnnotations(CHANGE_CAUSE, cause).endMetadata()
                        .editSpec().withTemplate(template).endSpec().build());
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /** From now on the gateway's rollouts never become available: the controller reports ProgressDeadlineExceeded. */
    void stallRollouts() {
        controller.rollouts(DEPLOYMENT, ControllerOnTheMock.Rollouts.STALL);
    }

    Deployment deployment() {
        return client.apps().deployments().inNamespace(NAMESPACE).withName(DEPLOYMENT).get();
    }

    String runningImage() {
        return deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    /** The pod template the ReplicaSet of {@code revision} runs, without its pod-template-hash label. */
    PodTemplateSpec templateOfRevision(int revision) {
        PodTemplateSpec template = client.apps().replicaSets().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(rs -> Integer.toString(revision).equals(rs.getMetadata().getAnnotations().get(REVISION)))
                .findFirst().orElseThrow().getSpec().getTemplate();
        template.getMetadata().getLabels().remove("pod-template-hash");
        return template;
    }

    /** A kubeconfig naming this server, as {@code KUBECONFIG} would for a real cluster. */
    Path writeKubeconfig(Path dir) throws IOException {
        return Files.writeString(dir.resolve("kubeconfig.yaml"), """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: e2e
                    cluster: {server: "http://127.0.0.1:%d"}
                users:
                  - name: runstream-action-workers
                    user: {token: e2e-service-account-token}
                contexts:
                  - name: e2e
                    context: {cluster: e2e, user: runstream-action-workers, namespace: %s}
                current-context: e2e
                """.formatted(server.getPort(), NAMESPACE));
    }

    private void createReplicaSet(Deployment owner, int revision, PodTemplateSpec podTemplate) {
        String hash = "r" + revision + "h" + Integer.toHexString(podTemplate.hashCode());
        PodTemplateSpec template = new PodTemplateSpecBuilder(podTemplate).build();
        template.getMetadata().getLabels().put("pod-template-hash", hash);
        client.resource(new ReplicaSetBuilder().withNewMetadata().withNamespace(NAMESPACE)
                .withName(DEPLOYMENT + "-" + hash).addToLabels("app", DEPLOYMENT).addToLabels("pod-template-hash", hash)
                .addToAnnotations(REVISION, Integer.toString(revision)).addNewOwnerReference().withApiVersion("apps/v1")
                .withKind("Deployment").withName(DEPLOYMENT).withUid(owner.getMetadata().getUid()).withController(true)
                .endOwnerReference().endMetadata().withNewSpec().withReplicas(2)
                .withNewSelector().addToMatchLabels("app", DEPLOYMENT).addToMatchLabels("pod-template-hash", hash)
                .endSelector().withTemplate(template).endSpec().build()).create();
    }

    private static PodTemplateSpec template(String image, String modelVersion) {
        List<EnvVar> env = modelVersion == null ? List.of() : List.of(new EnvVar(MODEL_VERSION, modelVersion, null));
        return new PodTemplateSpecBuilder().withNewMetadata()
                .addToLabels("app", DEPLOYMENT).endMetadata().withNewSpec().addNewContainer().withName("server")
                .withImage(image).withEnv(env).addNewPort().withContainerPort(8000).endPort().endContainer().endSpec()
                .build();
    }

    @Override
    public void close() {
        controller.close();
        client.close();
        server.destroy();
    }
}
