package io.runstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.runstream.avro.Alert;
import io.runstream.avro.MetricSample;
import io.runstream.common.config.ConfigLoader;
import io.runstream.common.service.RunstreamService;
import io.runstream.kafka.FreePorts;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;
import io.runstream.testing.peers.AlertmanagerPeer;
import io.runstream.testing.peers.PrometheusPeer;

/**
 * The compose stack, less Docker: the three services run as docker-compose.yml configures them (its environment,
 * mounted files and secrets, made local by {@link LocalEnvironment}) on the real broker, and Debian's Prometheus
 * and Alertmanager run the very files compose mounts. Only addresses are rewritten, because compose's service
 * names do not resolve here: {@code ingest-connector:8081} and the other services become their loopback ports,
 * and {@code /run/secrets/NAME} the repository's secret file. Nothing else of those files is changed.
 */
@WithKafka
class ComposeStackIT {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    private static final String SECRETS = "/run/secrets/";
    /** Series Prometheus makes itself for every scrape target; no service exports them. */
    private static final Set<String> MADE_BY_PROMETHEUS = Set.of("up");

    private static final ComposeFile COMPOSE = ComposeFile.repository();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Map<RunstreamServices, RunstreamService> RUNNING = new LinkedHashMap<>();
    private static TestKafka kafka;
    private static TopicCatalog catalog;

    @TempDir
    static Path stateDir;

    @BeforeAll
    static void startTheComposeServices(TestKafka testKafka) {
        kafka = testKafka;
        catalog = new TopicCatalog(new TopicSettings(kafka.topicPrefix(), 1, (short) 1), RunstreamSerdes.avro());
        Map<String, String> overrides = Map.of(
                "RUNSTREAM_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "RUNSTREAM_KAFKA_TOPIC_PREFIX", kafka.topicPrefix(),
                "RUNSTREAM_KAFKA_PARTITIONS", "1",
                "RUNSTREAM_HTTP_HOST", "127.0.0.1",
                "RUNSTREAM_HTTP_PORT", "0",
                "RUNSTREAM_STREAMS_STATE_DIR", stateDir.toString(),
                "RUNSTREAM_STREAMS_ADVERTISED_HOST", "127.0.0.1",
                "RUNSTREAM_STREAMS_APPLICATION_ID", kafka.uniqueId("processor"));
        for (RunstreamServices runstream : RunstreamServices.values()) {
            Map<String, String> environment = new LinkedHashMap<>(
                    LocalEnvironment.of(COMPOSE, COMPOSE.service(runstream.deploymentName), Map.of()));
            // Only the keys this service has: the state directory is the stream processor's alone.
            overrides.forEach((name, value) -> {
                if (ConfigLoader.setsKeyOf(runstream.configType, name)) {
                    environment.put(name, value);
                }
            });
            RunstreamService service = runstream.create(environment);
            RUNNING.put(runstream, service);
            service.start();
        }
    }

    @AfterAll
    static void stop() {
        List<RunstreamService> services = new ArrayList<>(RUNNING.values());
        Collections.reverse(services);
        services.forEach(RunstreamService::close);
        RUNNING.clear();
    }

    /** Meters with tags appear only once used, hence an alert through the whole pipeline before scraping. */
    @Test
    void everyMetricTheDashboardQueriesIsExportedByARunstreamService() throws Exception {
        GrafanaDashboard dashboard = GrafanaDashboard.read(Repo.file(
                "deploy/compose/grafana/dashboards/runstream-pipeline.json"));
        postHighErrorRateAlert();
        HttpResponse<String> unauthorized = HTTP.send(HttpRequest.newBuilder(endpoint(
                        RunstreamServices.INGEST_CONNECTOR, "/api/v1/alertmanager")).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unauthorized.statusCode()).as("so the rejection counters exist").isEqualTo(401);

        Set<String> exported = Awaitility.await("a worker's answer to an action, on its /metrics")
                .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(ComposeStackIT::exportedMetricNames, names -> names.contains("runstream_action_commands_total"));

        Set<String> queried = new TreeSet<>(dashboard.metricNames());
        queried.removeAll(MADE_BY_PROMETHEUS);
        assertThat(queried).as("metrics %s queries", dashboard.title()).hasSizeGreaterThan(10);
        assertThat(exported).as("metrics exported by the three services").containsAll(queried);
        Awaitility.await("open incidents by severity, as the incident API lists them").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    Map<String, Long> listed = unresolvedIncidentsBySeverity();
                    assertThat(listed.values().stream().mapToLong(Long::longValue).sum()).isPositive();
                    for (String severity : List.of("P1", "P2", "P3", "P4")) {
                        assertThat(gauge(RunstreamServices.STREAM_PROCESSOR, "runstream_incidents_open",
                                "severity=\"" + severity + "\"")).as("runstream_incidents_open " + severity)
                                .isEqualTo(listed.getOrDefault(severity, 0L).doubleValue());
                    }
                });
    }

    @Test
    void alertmanagerWithTheComposeConfigDeliversAlertsToTheConnectorWithItsBearerToken(@TempDir Path directory)
            throws Exception {
        String config = localAddresses(Files.readString(Repo.file("deploy/compose/alertmanager/alertmanager.yml")));

        try (AlertmanagerPeer alertmanager = AlertmanagerPeer.start(directory, config)) {
            alertmanager.post(Map.of("alertname", "ModelLoadFailure", "severity", "warning", "service", "fraud-api",
                    "namespace", "ml-prod", "model", "fraud-scorer"), "fraud-scorer: model loading failed",
                    Instant.now().minusSeconds(30), null);

            // The connector takes only requests with the token (ingest.auth.alertmanager: bearer): a record is proof.
            List<ConsumerRecord<String, Alert>> delivered = Awaitility.await("the alert, delivered by " + alertmanager)
                    .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> TopicReader.readAll(kafka.bootstrapServers(), catalog.alerts()), records -> records
                            .stream().anyMatch(r -> "ModelLoadFailure".equals(r.value().getLabels().get("alertname"))));
            assertThat(delivered).filteredOn(r -> "ModelLoadFailure".equals(r.value().getLabels().get("alertname")))
                    .first().satisfies(record -> assertThat(record.value().getLabels())
                            .containsEntry("service", "fraud-api").containsEntry("model", "fraud-scorer"));
        }
    }

    @Test
    void prometheusWithTheComposeConfigScrapesTheServicesAndRemoteWritesToTheConnector(@TempDir Path directory)
            throws Exception {
        int port = FreePorts.pick();
        String config = Files.readString(Repo.file("deploy/compose/prometheus/prometheus.yml"));
        config = localAddresses(rewrite(config, "localhost:9090", "127.0.0.1:" + port));
        // The rules directory beside the config, as compose mounts it (rule_files are relative to the config).
        Path rules = Files.createDirectories(directory.resolve("rules"));
        try (var files = Files.list(Repo.file("deploy/compose/prometheus/rules"))) {
            for (Path file : files.toList()) {
                Files.copy(file, rules.resolve(file.getFileName()));
            }
        }

        try (PrometheusPeer prometheus = PrometheusPeer.start(directory, port, config)) {
            String loadedRules = HTTP.send(HttpRequest.newBuilder(prometheus.uri().resolve("/api/v1/rules"))
                    .timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(loadedRules).contains("\"name\":\"HighErrorRate\"").contains("\"name\":\"GPUUnavailable\"");

            // Each service's own meters carry service=<its name>, the connector's record key for a sample; `up` is
            // Prometheus's own series of each target of the runstream job.
            Set<String> services = Set.of("ingest-connector", "stream-processor", "action-workers");
            Set<String> instances = Set.of(instance(RunstreamServices.INGEST_CONNECTOR),
                    instance(RunstreamServices.STREAM_PROCESSOR), instance(RunstreamServices.ACTION_WORKERS));
            Awaitility.await("samples scraped and remote-written by " + prometheus).atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> TopicReader.readAll(kafka.bootstrapServers(), catalog.metricSamples()), records ->
                            records.stream().map(ConsumerRecord::key).toList().containsAll(services)
                                    && upInstancesOfTheRunstreamJob(records).containsAll(instances));
        }
    }

    private static Set<String> upInstancesOfTheRunstreamJob(List<ConsumerRecord<String, MetricSample>> records) {
        Set<String> instances = new TreeSet<>();
        records.stream().map(ConsumerRecord::value)
                .filter(sample -> sample.getName().equals("up") && "runstream".equals(sample.getLabels().get("job")))
                .forEach(sample -> instances.add(sample.getLabels().get("instance")));
        return instances;
    }

    /** Compose's service addresses and secret paths, as this machine reaches them; each must occur. */
    private static String localAddresses(String config) {
        String local = config;
        for (RunstreamServices runstream : RunstreamServices.values()) {
            int composePort = runstream.http(LocalEnvironment.of(COMPOSE, COMPOSE.service(runstream.deploymentName),
                    Map.of())).port();
            if (local.contains(runstream.deploymentName + ":" + composePort)) {
                local = local.replace(runstream.deploymentName + ":" + composePort, instance(runstream));
            }
        }
        for (Map.Entry<String, Path> secret : COMPOSE.secretFiles().entrySet()) {
            local = local.replace(SECRETS + secret.getKey(), secret.getValue().toString());
        }
        assertThat(local).as("every compose address was made local").doesNotContain(SECRETS)
                .doesNotContain("ingest-connector:");
        return local;
    }

    private static String rewrite(String text, String from, String to) {
        assertThat(text).contains(from);
        return text.replace(from, to);
    }

    private static String instance(RunstreamServices runstream) {
        URI uri = endpoint(runstream, "/");
        return uri.getHost() + ":" + uri.getPort();
    }

    /** Runbook 003's alert, as Alertmanager delivers it, with the token of the compose secret. */
    private static void postHighErrorRateAlert() throws Exception {
        String token = Files.readString(COMPOSE.secretFiles().get("alertmanager_webhook_token")).strip();
        String body = """
                {"version":"4","groupKey":"{}:{alertname=\\"HighErrorRate\\"}","status":"firing","receiver":"runstream",
                 "groupLabels":{"alertname":"HighErrorRate"},"commonLabels":{},"commonAnnotations":{},
                 "externalURL":"http://alertmanager:9093","truncatedAlerts":0,
                 "alerts":[{"status":"firing","fingerprint":"3f2a9c01b7e4d5c6",
                   "labels":{"alertname":"HighErrorRate","severity":"critical","service":"inference-gateway",
                             "namespace":"ml-prod"},
                   "annotations":{"summary":"12 % of requests fail with 5xx"},
                   "startsAt":"%s","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus:9090/graph"}]}
                """.replace("%s", Instant.now().minusSeconds(60).toString());
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(endpoint(RunstreamServices.INGEST_CONNECTOR,
                        "/api/v1/alertmanager")).timeout(REQUEST_TIMEOUT).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static Map<String, Long> unresolvedIncidentsBySeverity() throws IOException, InterruptedException {
        String page = HTTP.send(HttpRequest.newBuilder(endpoint(RunstreamServices.STREAM_PROCESSOR,
                        "/api/v1/incidents?state=OPEN,ACKNOWLEDGED,MITIGATED&limit=500")).timeout(REQUEST_TIMEOUT)
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Long> bySeverity = new TreeMap<>();
        new ObjectMapper().readTree(page).path("items").forEach(incident ->
                bySeverity.merge(incident.path("severity").asText(), 1L, Long::sum));
        return bySeverity;
    }

    private static Set<String> exportedMetricNames() throws IOException, InterruptedException {
        Set<String> names = new TreeSet<>();
        for (RunstreamServices runstream : RUNNING.keySet()) {
            metricsPage(runstream).lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split("[{ ]", 2)[0]).forEach(names::add);
        }
        return names;
    }

    /** The value of one series on a service's /metrics page. */
    private static double gauge(RunstreamServices runstream, String name, String label) throws Exception {
        return metricsPage(runstream).lines().filter(line -> line.startsWith(name + "{") && line.contains(label))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + "{" + label + "} on " + runstream));
    }

    private static String metricsPage(RunstreamServices runstream) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(endpoint(runstream, "/metrics")).timeout(REQUEST_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static URI endpoint(RunstreamServices runstream, String path) {
        URI metrics = RUNNING.get(runstream).endpoints().values().stream()
                .filter(uri -> uri.getPath().equals("/metrics")).findFirst()
                .orElseThrow(() -> new AssertionError(runstream + " lists no /metrics endpoint"));
        return metrics.resolve(path);
    }
}
