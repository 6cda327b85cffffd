package io.runstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.runstream.common.config.ConfigLoader;
import io.runstream.common.http.HttpSettings;
import io.runstream.processor.StreamProcessorConfig;
import io.runstream.workers.ActionWorkersConfig;

/**
 * deploy/kubernetes loads into fabric8's typed model, and every reference in it holds: ConfigMaps, Secrets and
 * their keys, the ServiceAccount the RBAC binds, Service selectors and ports, probes on the port the service's
 * configuration listens on, and RUNSTREAM_* variables that are real configuration keys whose values the
 * services accept.
 */
class KubernetesManifestsTest {

    private static final String NAMESPACE = "runstream";
    /** Read by launcher/src/main/resources/logback.xml, not by a service's configuration. */
    private static final Set<String> LOGGING_VARIABLES = Set.of("RUNSTREAM_LOG_APPENDER");
    /** The 2-hour soak's processor held at most 377 MiB above its 1 GiB heap and 128 MiB of RocksDB; a margin. */
    private static final long SOAK_JVM_OVERHEAD_BYTES = 512L << 20;

    private final KubernetesManifests manifests = KubernetesManifests.repository();

    @TempDir
    Path mountedFiles;

    @Test
    void theKustomizationListsEveryManifestAndEachLoadsIntoTheTypedModel() throws IOException {
        try (Stream<Path> files = Files.list(Repo.file(KubernetesManifests.DIRECTORY.toString()))) {
            assertThat(manifests.files()).containsExactlyInAnyOrderElementsOf(files
                    .filter(file -> file.toString().endsWith(".yaml"))
                    .filter(file -> !file.getFileName().toString().equals("kustomization.yaml")).toList());
        }
        assertThat(manifests.resources()).hasSizeGreaterThanOrEqualTo(17).allSatisfy(resource ->
                assertThat(resource.getClass().getPackageName()).as("%s is a known kind", resource.getKind())
                        .startsWith("io.fabric8.kubernetes.api.model"));
        assertThat(manifests.resources()).filteredOn(resource -> resource.getMetadata().getNamespace() != null)
                .filteredOn(resource -> !(resource instanceof RoleBinding))
                .allSatisfy(resource -> assertThat(resource.getMetadata().getNamespace()).as(describe(resource))
                        .isEqualTo(NAMESPACE));
        assertThat(manifests.find(io.fabric8.kubernetes.api.model.Namespace.class, NAMESPACE)).isPresent();
    }

    @Test
    void theClustersPrometheusGetsTheAlertRulesComposeRunsAndPromtoolTests() throws IOException {
        ConfigMap rules = manifests.find(ConfigMap.class, "runstream-prometheus-rules").orElseThrow();

        assertThat(rules.getData().get("runstream-alerts.yml"))
                .isEqualTo(Files.readString(Repo.file("deploy/compose/prometheus/rules/runstream-alerts.yml")));
    }

    @Test
    void theConnectorAndWorkersAreDeploymentsAndTheProcessorAStatefulSetRunningTheImagesMainClasses() {
        assertThat(manifests.find(Deployment.class, "ingest-connector")).isPresent();
        assertThat(manifests.find(Deployment.class, "action-workers")).isPresent();
        assertThat(manifests.find(StatefulSet.class, "stream-processor")).isPresent();
        for (RunstreamServices runstream : RunstreamServices.values()) {
            Container container = container(runstream);

            assertThat(container.getArgs()).as(runstream.deploymentName)
                    .containsExactly(runstream.mainClass.getName());
            assertThat(container.getImage()).isEqualTo(container(RunstreamServices.INGEST_CONNECTOR).getImage());
        }
    }

    @Test
    void everyRunstreamVariableIsAConfigurationKeyAndEachServiceAcceptsItsEnvironment() {
        for (RunstreamServices runstream : RunstreamServices.values()) {
            Map<String, String> environment = environment(runstream);

            assertThat(environment.keySet()).filteredOn(name -> name.startsWith(ConfigLoader.ENV_PREFIX))
                    .filteredOn(name -> !LOGGING_VARIABLES.contains(name)).isNotEmpty()
                    .allSatisfy(name -> assertThat(ConfigLoader.setsKeyOf(runstream.configType, name))
                            .as("%s sets a key of %s", name, runstream.configType.getSimpleName()).isTrue());
            assertThat(runstream.configuration(environment)).as(runstream.deploymentName).isNotNull();
        }
        StreamProcessorConfig processor = RunstreamServices.STREAM_PROCESSOR.load(StreamProcessorConfig.class,
                environment(RunstreamServices.STREAM_PROCESSOR));
        assertThat(processor.rules().severity()).as("the runstream-rules ConfigMap's rules.yaml").isNotNull();
        assertThat(processor.runbooks().runbooks()).as("the built-in runbooks still run").isNotEmpty();
        assertThat(processor.api().writeToken()).as("from the runstream-secrets Secret").isNotEmpty();
    }

    @Test
    void probesAskTheHealthEndpointsOnThePortTheServiceListensOn() {
        for (RunstreamServices runstream : RunstreamServices.values()) {
            Container container = container(runstream);
            HttpSettings http = runstream.http(environment(runstream));

            assertThat(http.host()).as(runstream.deploymentName).isEqualTo("0.0.0.0");
            assertThat(container.getPorts()).extracting(ContainerPort::getName, ContainerPort::getContainerPort)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("http", http.port()));
            assertProbe(container.getLivenessProbe(), "/health/live", runstream);
            assertProbe(container.getReadinessProbe(), "/health/ready", runstream);
            assertProbe(container.getStartupProbe(), "/health/live", runstream);
        }
    }

    @Test
    void everyServiceSelectsPodsAndTargetsOneOfTheirNamedPorts() {
        for (Service service : manifests.all(Service.class)) {
            Map<String, String> selector = service.getSpec().getSelector();
            List<PodTemplateSpec> selected = podTemplates().stream()
                    .filter(template -> template.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                    .toList();

            assertThat(selected).as("pods of service %s", service.getMetadata().getName()).hasSize(1);
            Set<String> portNames = selected.get(0).getSpec().getContainers().stream()
                    .flatMap(container -> container.getPorts().stream()).map(ContainerPort::getName)
                    .collect(Collectors.toSet());
            service.getSpec().getPorts().forEach(port -> assertThat(portNames)
                    .as("target port of %s", service.getMetadata().getName()).contains(port.getTargetPort().getStrVal()));
        }
    }

    @Test
    void theProcessorKeepsItsStateOnAPersistentVolumeWithStandbysAndAdvertisesItsPeerAddress() {
        StatefulSet processor = manifests.get(StatefulSet.class, "stream-processor");
        Map<String, String> environment = environment(RunstreamServices.STREAM_PROCESSOR);
        StreamProcessorConfig config = RunstreamServices.STREAM_PROCESSOR.load(StreamProcessorConfig.class,
                environment);
        String claim = processor.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName();

        assertThat(container(RunstreamServices.STREAM_PROCESSOR).getVolumeMounts())
                .anySatisfy(mount -> {
                    assertThat(mount.getName()).isEqualTo(claim);
                    assertThat(mount.getMountPath()).isEqualTo(config.streams().stateDir());
                });
        assertThat(processor.getSpec().getTemplate().getSpec().getSecurityContext().getFsGroup())
                .as("the volume is writable by the service's user").isEqualTo(10001L);
        assertThat(config.streams().numStandbyReplicas()).isPositive()
                .isLessThan(processor.getSpec().getReplicas());

        Service peers = manifests.get(Service.class, processor.getSpec().getServiceName());
        assertThat(peers.getSpec().getClusterIP()).as("headless").isEqualTo("None");
        assertThat(peers.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(config.streams().advertisedHost())
                .isEqualTo("stream-processor-0." + peers.getMetadata().getName() + "." + NAMESPACE + ".svc");
        assertThat(peers.getSpec().getPorts().get(0).getPort()).isEqualTo(config.http().port());
    }

    @Test
    void theWorkersRunAsTheServiceAccountTheRbacBindsAndOnlyTheyGetAToken() {
        PodTemplateSpec workers = manifests.get(Deployment.class, "action-workers").getSpec().getTemplate();
        String account = workers.getSpec().getServiceAccountName();
        ServiceAccount serviceAccount = manifests.get(ServiceAccount.class, account);
        ActionWorkersConfig config = RunstreamServices.ACTION_WORKERS.load(ActionWorkersConfig.class,
                environment(RunstreamServices.ACTION_WORKERS));

        assertThat(serviceAccount.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(config.kubernetes().enabled()).isTrue();
        List<Subject> subjects = Stream.concat(
                manifests.all(RoleBinding.class).stream().flatMap(binding -> binding.getSubjects().stream()),
                manifests.all(ClusterRoleBinding.class).stream().flatMap(binding -> binding.getSubjects().stream()))
                .toList();
        assertThat(subjects).isNotEmpty().allSatisfy(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo(account);
            assertThat(subject.getNamespace()).isEqualTo(NAMESPACE);
        });
        Stream.concat(manifests.all(RoleBinding.class).stream().map(binding -> binding.getRoleRef()),
                manifests.all(ClusterRoleBinding.class).stream().map(binding -> binding.getRoleRef()))
                .forEach(role -> assertThat(role.getKind().equals("Role")
                        ? manifests.find(io.fabric8.kubernetes.api.model.rbac.Role.class, role.getName()).isPresent()
                        : manifests.find(ClusterRole.class, role.getName()).isPresent()).as(role.getName()).isTrue());
        // the Deployment watcher's leader election: its Lease, in the workers' namespace
        var lease = manifests.get(io.fabric8.kubernetes.api.model.rbac.Role.class,
                "runstream-deployment-watcher-lease");
        assertThat(lease.getRules()).allSatisfy(rule -> assertThat(rule.getResources()).containsExactly("leases"))
                .anySatisfy(rule -> assertThat(rule.getResourceNames())
                        .containsExactly(config.kubernetes().leaderElection().leaseName()));
        for (RunstreamServices runstream : List.of(RunstreamServices.INGEST_CONNECTOR,
                RunstreamServices.STREAM_PROCESSOR)) {
            assertThat(podTemplate(runstream).getSpec().getAutomountServiceAccountToken())
                    .as("%s needs no API token", runstream.deploymentName).isFalse();
        }
    }

    @Test
    void everyContainerRequestsCpuAndMemoryAndLimitsMemory() {
        for (RunstreamServices runstream : RunstreamServices.values()) {
            var resources = container(runstream).getResources();

            assertThat(resources.getRequests()).as(runstream.deploymentName).containsKeys("cpu", "memory");
            assertThat(resources.getLimits()).as(runstream.deploymentName).containsKey("memory");
        }
    }

    /**
     * The processor's memory is its heap, its RocksDB budget and the JVM's overhead (docs/configuration.md,
     * "Memory"); the heap is pre-touched so the pod starts at the size it keeps, and the limit leaves at least the
     * overhead the 2-hour soak measured above heap and RocksDB (docs/reliability.md, "The soak").
     */
    @Test
    void theProcessorsPreTouchedHeapAndRocksDbBudgetLeaveTheSoaksOverheadInsideItsMemoryLimit() {
        Map<String, String> environment = environment(RunstreamServices.STREAM_PROCESSOR);
        StreamProcessorConfig config = RunstreamServices.STREAM_PROCESSOR.load(StreamProcessorConfig.class,
                environment);
        long limit = Quantity.getAmountInBytes(container(RunstreamServices.STREAM_PROCESSOR).getResources()
                .getLimits().get("memory")).longValue();
        String jvm = environment.getOrDefault("JAVA_TOOL_OPTIONS", "");

        assertThat(jvm).contains("-XX:+AlwaysPreTouch");
        assertThat(ramPercentage(jvm, "Initial")).as("heap sized once").isEqualTo(ramPercentage(jvm, "Max"));
        long heap = limit * ramPercentage(jvm, "Max") / 100;
        assertThat(limit - heap - config.streams().rocksdb().blockCacheBytes())
                .isGreaterThanOrEqualTo(SOAK_JVM_OVERHEAD_BYTES);
    }

    private static long ramPercentage(String jvmOptions, String which) {
        Matcher flag = Pattern.compile("-XX:" + which + "RAMPercentage=(\\d+)").matcher(jvmOptions);
        assertThat(flag.find()).as("-XX:%sRAMPercentage in %s", which, jvmOptions).isTrue();
        return Long.parseLong(flag.group(1));
    }

    private static void assertProbe(Probe probe, String path, RunstreamServices runstream) {
        assertThat(probe).as("%s probe on %s", runstream.deploymentName, path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(runstream.deploymentName).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).as(runstream.deploymentName).isEqualTo("http");
    }

    private Map<String, String> environment(RunstreamServices runstream) {
        PodTemplateSpec template = podTemplate(runstream);
        return PodEnvironment.of(manifests, template.getSpec(), container(runstream), runstream.deploymentName + "-0",
                mountedFiles);
    }

    private Container container(RunstreamServices runstream) {
        List<Container> containers = podTemplate(runstream).getSpec().getContainers();
        assertThat(containers).as(runstream.deploymentName).hasSize(1);
        return containers.get(0);
    }

    private PodTemplateSpec podTemplate(RunstreamServices runstream) {
        if (runstream == RunstreamServices.STREAM_PROCESSOR) {
            return manifests.get(StatefulSet.class, runstream.deploymentName).getSpec().getTemplate();
        }
        return manifests.get(Deployment.class, runstream.deploymentName).getSpec().getTemplate();
    }

    private List<PodTemplateSpec> podTemplates() {
        return List.of(RunstreamServices.values()).stream().map(this::podTemplate).toList();
    }

    private static String describe(HasMetadata resource) {
        return resource.getKind() + " " + resource.getMetadata().getName();
    }
}
