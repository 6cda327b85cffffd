package io.runstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.runstream.common.config.ConfigLoader;
import io.runstream.processor.StreamProcessorConfig;

/**
 * docker-compose.yml cannot run here (no Docker engine), so its structure is checked instead: everything it
 * builds, mounts, names and wires exists in the repository and agrees with the services' configuration and
 * with the Prometheus, Alertmanager and Grafana files it mounts.
 */
class ComposeFileTest {

    private final ComposeFile compose = ComposeFile.repository();

    @Test
    void everyServiceHasAnImageOrABuildWhoseDockerfileExists() {
        for (String name : compose.serviceNames()) {
            ComposeService service = compose.service(name);
            assertThat(service.image().isPresent() || service.dockerfile().isPresent())
                    .as("%s has an image or a build", name).isTrue();
            service.dockerfile().ifPresent(dockerfile -> assertThat(dockerfile).as("%s's Dockerfile", name)
                    .isRegularFile());
        }
    }

    @Test
    void theRunstreamServicesRunTheMainClassesOfTheImageTheyBuild() throws Exception {
        for (RunstreamServices runstream : RunstreamServices.values()) {
            ComposeService service = compose.service(runstream.deploymentName);

            assertThat(service.dockerfile()).as(runstream.deploymentName).contains(Repo.file("Dockerfile"));
            assertThat(service.command()).as(runstream.deploymentName).containsExactly(runstream.mainClass.getName());
            Method main = Class.forName(service.command().get(0)).getMethod("main", String[].class);
            assertThat(Modifier.isStatic(main.getModifiers())).isTrue();
        }
    }

    @Test
    void theDockerfileBuildsTheLauncherAndRunsItsJarsAsAnUnprivilegedUser() throws Exception {
        String dockerfile = Files.readString(Repo.file("Dockerfile"));

        assertThat(dockerfile).contains("-pl launcher -am package")
                .contains("COPY --from=build /src/launcher/target/runstream.jar /opt/runstream/runstream.jar")
                .contains("COPY --from=build /src/launcher/target/lib/ /opt/runstream/lib/")
                .contains("\"-cp\", \"/opt/runstream/runstream.jar:/opt/runstream/lib/*\"")
                .contains("USER 10001")
                .contains("/var/lib/runstream/state");
        assertThat(Files.readString(Repo.file("launcher/pom.xml"))).contains("<finalName>runstream</finalName>")
                .contains("<outputDirectory>${project.build.directory}/lib</outputDirectory>");
    }

    /** jemalloc for every service; the heap from the container's limit unless a manifest sets its own. */
    @Test
    void theImageRunsJemallocAndLeavesTheJvmFlagsToTheEnvironment() throws Exception {
        String dockerfile = Files.readString(Repo.file("Dockerfile"));

        assertThat(dockerfile).contains("apt-get install -y --no-install-recommends libjemalloc2")
                .contains("ENV LD_PRELOAD=/usr/local/lib/libjemalloc.so.2")
                .contains("ENV JAVA_TOOL_OPTIONS=\"-XX:MaxRAMPercentage=75\"")
                .contains("ENTRYPOINT [\"java\", \"-cp\"");
    }

    @Test
    void everyMountedHostFileAndSecretFileExistsInTheRepository() {
        for (String name : compose.serviceNames()) {
            ComposeService service = compose.service(name);
            for (ComposeService.Mount mount : service.volumes()) {
                if (mount.isHostPath()) {
                    assertThat(service.hostPath(mount)).as("%s mounts %s", name, mount.source()).exists()
                            .startsWith(Repo.root());
                    assertThat(mount.readOnly()).as("%s mounts repository files read-only", name).isTrue();
                } else {
                    assertThat(compose.volumeNames()).as("%s's named volume", name).contains(mount.source());
                }
            }
            assertThat(compose.secretFiles().keySet()).as("%s's secrets", name).containsAll(service.secrets());
        }
        compose.secretFiles().forEach((secret, file) -> assertThat(file).as("secret %s", secret).isRegularFile());
    }

    @Test
    void dependsOnNamesOnlyServicesOfTheFile() {
        for (String name : compose.serviceNames()) {
            assertThat(compose.serviceNames()).as("what %s depends on", name)
                    .containsAll(compose.service(name).dependsOn());
        }
    }

    @Test
    void everyRunstreamVariableIsAConfigurationKeyOfItsService() {
        for (RunstreamServices runstream : RunstreamServices.values()) {
            Map<String, String> environment = compose.service(runstream.deploymentName).environment();

            assertThat(environment.keySet()).as(runstream.deploymentName).isNotEmpty()
                    .allSatisfy(variable -> assertThat(ConfigLoader.setsKeyOf(runstream.configType, variable))
                            .as("%s sets a key of %s", variable, runstream.configType.getSimpleName()).isTrue());
        }
    }

    @Test
    void eachRunstreamServiceLoadsItsComposeEnvironmentWithTheMountedFilesAndSecrets() {
        for (RunstreamServices runstream : RunstreamServices.values()) {
            Map<String, String> environment = LocalEnvironment.of(compose, compose.service(runstream.deploymentName),
                    Map.of());

            assertThatCode(() -> runstream.configuration(environment)).as(runstream.deploymentName)
                    .doesNotThrowAnyException();
        }
        StreamProcessorConfig processor = RunstreamServices.STREAM_PROCESSOR.load(StreamProcessorConfig.class,
                LocalEnvironment.of(compose, compose.service("stream-processor"), Map.of()));
        assertThat(processor.rulesFile()).endsWith("deploy/compose/runstream/rules.yaml");
        assertThat(processor.rules().severity()).isNotNull();
        assertThat(processor.runbooks().runbooks()).as("the built-in runbooks still run").isNotEmpty();
        assertThat(processor.api().writeToken()).as("the api_write_token secret").hasSizeGreaterThanOrEqualTo(16);
        assertThat(compose.service("stream-processor").volumes()).as("the state directory outlives the container")
                .contains(new ComposeService.Mount("processor-state", processor.streams().stateDir(), false));
    }

    @Test
    void runstreamServicesListOnAllInterfacesAndPublishTheirConfiguredPort() {
        for (RunstreamServices runstream : RunstreamServices.values()) {
            ComposeService service = compose.service(runstream.deploymentName);
            var http = runstream.http(LocalEnvironment.of(compose, service, Map.of()));

            assertThat(http.host()).as(runstream.deploymentName).isEqualTo("0.0.0.0");
            assertThat(service.ports()).as(runstream.deploymentName)
                    .containsExactly(new ComposeService.Port(http.port(), http.port()));
        }
    }

    @Test
    void kafkaIsTheOfficialImageInKraftModeAtTheClientsVersion() {
        ComposeService kafka = compose.service("kafka");

        assertThat(kafka.image()).contains("apache/kafka:" + Repo.kafkaVersion());
        assertThat(kafka.environment()).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                .doesNotContainKey("KAFKA_ZOOKEEPER_CONNECT");
        List<String> advertised = List.of(kafka.environment().get("KAFKA_ADVERTISED_LISTENERS").split(","));
        for (RunstreamServices runstream : RunstreamServices.values()) {
            String bootstrap = compose.service(runstream.deploymentName).environment()
                    .get("RUNSTREAM_KAFKA_BOOTSTRAP_SERVERS");
            assertThat(advertised).as("%s's bootstrap server is an advertised listener", runstream.deploymentName)
                    .contains("PLAINTEXT://" + bootstrap);
            assertThat(compose.service(runstream.deploymentName).dependsOn()).contains("kafka");
        }
    }

    @Test
    void prometheusScrapesEachRunstreamServiceOnItsPortAndRemoteWritesToTheConnector() {
        ComposeService prometheus = compose.service("prometheus");
        Map<String, Object> config = YamlFiles.read(mountedFile(prometheus, "/etc/prometheus/prometheus.yml"));

        Set<String> targets = YamlMaps.list(YamlFiles.at(jobNamed(config, "runstream"), "static_configs", 0,
                "targets")).stream().map(String::valueOf).collect(Collectors.toSet());
        assertThat(targets).containsExactlyInAnyOrderElementsOf(List.of(RunstreamServices.values()).stream()
                .map(runstream -> runstream.deploymentName + ":" + httpPort(runstream)).toList());

        URI remoteWrite = URI.create(String.valueOf(YamlFiles.at(config, "remote_write", 0, "url")));
        assertThat(remoteWrite).isEqualTo(URI.create("http://ingest-connector:"
                + httpPort(RunstreamServices.INGEST_CONNECTOR) + "/api/v1/write"));
        assertSameSecret(prometheus, YamlFiles.at(config, "remote_write", 0, "authorization", "credentials_file"),
                "RUNSTREAM_INGEST_AUTH_REMOTE_WRITE_TOKEN_FILE");
        assertThat(compose.service("ingest-connector").environment())
                .containsEntry("RUNSTREAM_INGEST_AUTH_REMOTE_WRITE_TYPE", "bearer");

        assertThat(YamlMaps.list(YamlFiles.at(config, "alerting", "alertmanagers", 0, "static_configs", 0, "targets")))
                .containsExactly("alertmanager:9093");
        assertThat(YamlMaps.list(config.get("rule_files"))).containsExactly("rules/*.yml");
        assertThat(prometheus.volumes()).contains(new ComposeService.Mount("./deploy/compose/prometheus/rules",
                "/etc/prometheus/rules", true));
    }

    @Test
    void alertmanagerSendsToTheConnectorsWebhookWithTheTokenTheConnectorChecks() {
        ComposeService alertmanager = compose.service("alertmanager");
        Map<String, Object> config = YamlFiles.read(mountedFile(alertmanager, "/etc/alertmanager/alertmanager.yml"));
        Object webhook = YamlFiles.at(config, "receivers", 0, "webhook_configs", 0);

        assertThat(YamlFiles.at(config, "route", "receiver")).isEqualTo(YamlFiles.at(config, "receivers", 0, "name"));
        assertThat(URI.create(String.valueOf(YamlFiles.at(webhook, "url")))).isEqualTo(URI.create(
                "http://ingest-connector:" + httpPort(RunstreamServices.INGEST_CONNECTOR) + "/api/v1/alertmanager"));
        assertThat(YamlFiles.at(webhook, "http_config", "authorization", "type")).isEqualTo("Bearer");
        assertThat(YamlMaps.map(YamlFiles.at(webhook, "http_config", "authorization")))
                .as("the token is a file, never inline").doesNotContainKey("credentials");
        assertSameSecret(alertmanager, YamlFiles.at(webhook, "http_config", "authorization", "credentials_file"),
                "RUNSTREAM_INGEST_AUTH_ALERTMANAGER_TOKEN_FILE");
        assertThat(compose.service("ingest-connector").environment())
                .containsEntry("RUNSTREAM_INGEST_AUTH_ALERTMANAGER_TYPE", "bearer");
        assertThat(compose.service("action-workers").environment())
                .containsEntry("RUNSTREAM_ALERTMANAGER_URL", "http://alertmanager:9093");
    }

    @Test
    void grafanaIsProvisionedWithPrometheusAndTheMountedDashboards() throws Exception {
        ComposeService grafana = compose.service("grafana");
        Path provisioning = mountedFile(grafana, "/etc/grafana/provisioning");
        Map<String, Object> datasource = YamlMaps.map(YamlFiles.at(
                YamlFiles.read(provisioning.resolve("datasources/prometheus.yml")), "datasources", 0));
        Object provider = YamlFiles.at(YamlFiles.read(provisioning.resolve("dashboards/runstream.yml")), "providers", 0);

        assertThat(datasource).containsEntry("type", "prometheus").containsEntry("url", "http://prometheus:9090");
        String dashboardsInContainer = String.valueOf(YamlFiles.at(provider, "options", "path"));
        Path dashboards = mountedFile(grafana, dashboardsInContainer);
        try (var files = Files.list(dashboards)) {
            List<Path> json = files.filter(file -> file.toString().endsWith(".json")).toList();
            assertThat(json).isNotEmpty();
            for (Path file : json) {
                assertThat(GrafanaDashboard.read(file).datasourceUids()).as(file.toString())
                        .containsOnly(String.valueOf(datasource.get("uid")));
            }
        }
    }

    private static Map<String, Object> jobNamed(Map<String, Object> prometheusConfig, String job) {
        return YamlMaps.list(prometheusConfig.get("scrape_configs")).stream().map(YamlMaps::map)
                .filter(scrape -> job.equals(scrape.get("job_name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no scrape job " + job));
    }

    private int httpPort(RunstreamServices runstream) {
        return runstream.http(LocalEnvironment.of(compose, compose.service(runstream.deploymentName), Map.of()))
                .port();
    }

    /** The repository file behind a path in the service's container (a bind mount or a file inside one). */
    private static Path mountedFile(ComposeService service, String containerPath) {
        for (ComposeService.Mount mount : service.volumes()) {
            if (mount.isHostPath() && (containerPath.equals(mount.target())
                    || containerPath.startsWith(mount.target() + "/"))) {
                Path file = service.hostPath(mount).resolve(containerPath.substring(mount.target().length())
                        .replaceFirst("^/", ""));
                assertThat(file).as("%s's %s", service.name(), containerPath).exists();
                return file;
            }
        }
        throw new AssertionError(service.name() + " mounts nothing at " + containerPath);
    }

    /** A peer's credentials_file is the very secret the connector's _FILE variable reads. */
    private void assertSameSecret(ComposeService peer, Object credentialsFile, String connectorVariable) {
        String connectorFile = compose.service("ingest-connector").environment().get(connectorVariable);
        assertThat(credentialsFile).as("%s's credentials_file", peer.name()).isEqualTo(connectorFile);
        String secret = connectorFile.substring("/run/secrets/".length());
        assertThat(peer.secrets()).as("%s is given secret %s", peer.name(), secret).contains(secret);
        assertThat(compose.service("ingest-connector").secrets()).contains(secret);
    }
}
