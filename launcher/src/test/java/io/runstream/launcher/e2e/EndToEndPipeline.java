package io.runstream.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.runstream.avro.DeploymentEvent;
import io.runstream.ingest.IngestConnector;
import io.runstream.processor.StreamProcessor;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;
import io.runstream.testing.TestKafka;

/**
 * Runstream's three services on the test's broker, wired to a {@link GatewayCluster} through its kubeconfig, with
 * the workers in enforce mode, notifications without a configured channel delivered to the local inbox, and the
 * incident API's write token known to the test: the pipeline a runbook story is played through, with the calls
 * the stories make (drift reports, incidents, approvals).
 */
final class EndToEndPipeline implements AutoCloseable {

    static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KUBECONFIG_PROPERTY = "kubeconfig";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String writeToken = "e2e-write-token-" + UUID.randomUUID();
    private final String previousKubeconfig;
    private final RunstreamServices services;
    private final Properties clientProperties;
    private final TopicCatalog topics;
    private final URI ingest;
    private final URI remoteWrite;
    private final URI incidentApi;

    /**
     * Starts the services with {@code runbooks} as the processor's runbooks file (the built-in runbooks unless it
     * lists its own) and {@code rolloutTimeout} as the workers' kubernetes.rolloutTimeout.
     */
    EndToEndPipeline(TestKafka kafka, Path dir, GatewayCluster cluster, String runbooks, Duration rolloutTimeout)
            throws IOException {
        previousKubeconfig = System.setProperty(KUBECONFIG_PROPERTY, cluster.writeKubeconfig(dir).toString());
        String prefix = kafka.uniqueId("e2e") + ".";
        clientProperties = kafka.clientProperties();
        topics = new TopicCatalog(new TopicSettings(prefix, 2, (short) 1), RunstreamSerdes.avro());
        services = new RunstreamServices(dir, kafka.bootstrapServers(), prefix, 2);
        try {
            IngestConnector connector = services.startIngest("http: {port: 0}\n");
            Path runbooksFile = Files.writeString(dir.resolve("runbooks.yaml"), runbooks);
            StreamProcessor processor = services.startProcessor("""
                    http: {port: 0}
                    api: {writeToken: %s}
                    streams: {applicationId: %s, stateDir: "%s"}
                    runbooksFile: "%s"
                    """.formatted(writeToken, kafka.uniqueId("processor"), dir.resolve("streams-state"),
                    runbooksFile));
            services.startWorkers("""
                    http: {port: 0}
                    mode: enforce
                    workerId: e2e-worker
                    safety: {allowNamespaces: [%s]}
                    kubernetes: {enabled: true, watchDeployments: true, watchNamespaces: [%s], rolloutTimeout: %ds}
                    notifications: {inbox: {enabled: true}}
                    """.formatted(GatewayCluster.NAMESPACE, GatewayCluster.NAMESPACE, rolloutTimeout.toSeconds()));
            services.awaitReady();
            ingest = connector.endpoints().get("alertmanager webhook").resolve("/api/v1/drift");
            remoteWrite = connector.endpoints().get("prometheus remote_write");
            incidentApi = processor.endpoints().get("incident API");
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The ingest connector's Prometheus remote_write endpoint. */
    URI remoteWrite() {
        return remoteWrite;
    }

    /** Waits until the workers' Deployment watcher published the gateway's rollout of {@code revision}. */
    void awaitRolloutPublished(int revision) {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-rollouts-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<DeploymentEvent> rollouts = new ArrayList<>();
        try (KafkaConsumer<String, DeploymentEvent> consumer = new KafkaConsumer<>(properties,
                topics.deploymentEvents().keySerde().deserializer(),
                topics.deploymentEvents().valueSerde().deserializer())) {
            consumer.subscribe(List.of(topics.deploymentEvents().name()));
            await("rollout of revision " + revision + " on deployment-events").atMost(STEP_TIMEOUT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> rollouts.add(r.value()));
                return rollouts.stream().anyMatch(r -> r.getRevision() == revision);
            });
        }
    }

    /** The last records of every topic, for a failed test's report. */
    String topicTails() {
        return TopicTails.of(clientProperties, topics);
    }

    /** POSTs a drift report to the ingest connector, as an Evidently job would (docs/ingest.md). */
    void driftReport(ObjectNode report) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(ingest).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(report.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("drift report answered: %s", answer.body()).isEqualTo(202);
    }

    /** Approves the held action through the incident API, as the approval request tells people to. */
    void approve(String incidentId, String actionCommandId, String actor) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("actor", actor).put("actionCommandId", actionCommandId);
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(incidentApi + "/" + incidentId
                        + "/approve")).timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + writeToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("approve answered: %s", answer.body()).isEqualTo(202);
    }

    /** The service's only incident, in full (alerts and timeline), once it matches. */
    JsonNode awaitIncidentOf(String service, String what, Predicate<JsonNode> until) {
        return await(what).atMost(STEP_TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> incidentOf(service), found -> found != null && until.test(found));
    }

    /** The service's only incident, in full, or null while there is none. */
    JsonNode incidentOf(String service) throws IOException, InterruptedException {
        JsonNode items = JSON.readTree(get(incidentApi + "?service=" + service)).path("items");
        assertThat(items.size()).as("incidents of %s: %s", service, items).isLessThanOrEqualTo(1);
        return items.isEmpty() ? null : JSON.readTree(get(incidentApi + "/" + items.get(0).path("id").asText()));
    }

    /** The incident's first timeline entry of {@code type} whose message starts with {@code prefix}, or null. */
    static JsonNode entry(JsonNode incident, String type, String prefix) {
        for (JsonNode entry : incident.path("timeline")) {
            if (type.equals(entry.path("type").asText()) && entry.path("message").asText().startsWith(prefix)) {
                return entry;
            }
        }
        return null;
    }

    /** The final result of an action (a rollout's verified outcome, not the APPLIED before it), or null. */
    static JsonNode finalResult(JsonNode incident, String actionType) {
        JsonNode last = null;
        for (JsonNode entry : incident.path("timeline")) {
            if ("ACTION_RESULT".equals(entry.path("type").asText())
                    && entry.path("message").asText().startsWith(actionType + " ")
                    && !"APPLIED".equals(entry.path("details").path("outcome").asText())) {
                last = entry;
            }
        }
        return last;
    }

    private String get(String uri) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(uri))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException(uri + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer.body();
    }

    @Override
    public void close() {
        services.close();
        if (previousKubeconfig == null) {
            System.clearProperty(KUBECONFIG_PROPERTY);
        } else {
            System.setProperty(KUBECONFIG_PROPERTY, previousKubeconfig);
        }
    }
}
