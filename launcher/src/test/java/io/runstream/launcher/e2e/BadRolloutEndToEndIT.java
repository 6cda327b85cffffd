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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runstream.avro.DeploymentEvent;
import io.runstream.ingest.IngestConnector;
import io.runstream.processor.StreamProcessor;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;
import io.runstream.testing.IncidentJson;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;
import io.runstream.testing.peers.AlertmanagerPeer;

/**
 * Runbook 003's bad rollout through every real part of Runstream at once: a real broker, Debian's Alertmanager
 * posting to the ingest connector with its bearer token, Prometheus-style remote_write into the same connector,
 * the stream processor, and the action workers in enforce mode against a Kubernetes API (fabric8's CRUD mock
 * server), a PagerDuty stand-in and that same Alertmanager.
 *
 * <p>The story: release 1.2.3 of the inference gateway rolls out; Prometheus alerts HighErrorRate through
 * Alertmanager and the on-call is paged; the new pods crash-loop and kube-state-metrics' PodRestart alert is
 * silenced (runbook 004); Runstream measures 12 % 5xx from the raw samples, sees the rollout minutes before, and
 * rolls the Deployment back to revision 1 (runbook 003); the error rate recovers, Prometheus resolves its alert,
 * and after the recovery hold the incident resolves itself with the whole story on its timeline.
 */
@WithKafka
class BadRolloutEndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALERTMANAGER_TOKEN = "e2e-alertmanager-webhook-token";
    private static final String ROUTING_KEY = "e2e-pagerduty-routing-key";
    private static final String KUBECONFIG_PROPERTY = "kubeconfig";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
    private static final int FIRST_BAD_SCRAPE = 40;
    private static final int LAST_BAD_SCRAPE = 71;
    /** The crash-looping pod of the bad release, as kube-state-metrics labels it (its own service label). */
    private static final Map<String, String> POD_RESTART = Map.of("alertname", "PodRestart", "severity", "warning",
            "namespace", GatewayCluster.NAMESPACE, "service", "kube-state-metrics", "pod",
            "inference-gateway-r2-x7k2p", "container", "server");
    private static final Map<String, String> HIGH_ERROR_RATE = Map.of("alertname", "HighErrorRate",
            "severity", "critical", "namespace", GatewayCluster.NAMESPACE, "service", GatewayCluster.DEPLOYMENT);

    /**
     * Recovery hold shortened to 2 s; the on-call paged at once for P1 and P2 (runbook 003: "Page On-Call: Yes");
     * the rollback of runbook 003 once the measured 5xx ratio is over its 5 % critical threshold within 30 minutes
     * of a rollout; runbook 004's silence for a restart loop.
     */
    private static final String RUNBOOKS = """
            mode: enforce
            recovery: {hold: 2s, deadline: 5m}
            escalation:
              severities:
                P1:
                  steps: [{name: page-on-call, after: 0s, action: PAGE, channel: pagerduty/on-call}]
                  statusUpdates: {every: 0s, channel: slack/ml-ops-oncall}
                P2:
                  steps: [{name: page-on-call, after: 0s, action: PAGE, channel: pagerduty/on-call}]
                  statusUpdates: {every: 0s, channel: slack/ml-ops-oncall}
                P3: {steps: [], statusUpdates: {every: 0s, channel: slack/ml-ops-oncall}}
                P4: {steps: [], statusUpdates: {every: 0s, channel: slack/ml-ops-oncall}}
            runbooks:
              - name: rollback-after-rollout
                description: "HighErrorRate over 5 % within 30 minutes of a rollout: kubectl rollout undo"
                match: {alerts: [HighErrorRate]}
                when: {recentRollout: 30m, errorRateAbove: 0.05}
                steps:
                  - name: rollback
                    action: ROLLOUT_UNDO
                    target: {kind: Deployment, namespace: "{{namespace}}", name: "{{service}}"}
              - name: silence-restart-loop
                description: "PodRestart: silence the restarting pod's alert for 1h while people look"
                match: {alerts: [PodRestart]}
                steps:
                  - name: silence
                    action: SILENCE
                    target: {kind: alertmanager, name: default}
                    parameters: {label.alertname: PodRestart, label.namespace: "{{namespace}}",
                                 label.pod: "{{label.pod}}", duration: 1h}
            """;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String previousKubeconfig;
    private GatewayCluster cluster;
    private PagerDutyReceiver pagerDuty;
    private AlertmanagerPeer alertmanager;
    private RunstreamServices services;
    private Properties clientProperties;
    private TopicCatalog topics;
    private URI incidentApi;
    private GatewayTraffic traffic;

    @BeforeEach
    void givenTheWholePipelineOnLoopback(TestKafka kafka, @TempDir Path dir) throws Exception {
        cluster = GatewayCluster.startWithGatewayAtRevisionOne();
        previousKubeconfig = System.setProperty(KUBECONFIG_PROPERTY, cluster.writeKubeconfig(dir).toString());
        pagerDuty = new PagerDutyReceiver();
        String prefix = kafka.uniqueId("e2e") + ".";
        int partitions = 2;
        clientProperties = kafka.clientProperties();
        topics = new TopicCatalog(new TopicSettings(prefix, partitions, (short) 1), RunstreamSerdes.avro());
        services = new RunstreamServices(dir, kafka.bootstrapServers(), prefix, partitions);

        IngestConnector ingest = services.startIngest("""
                http: {port: 0}
                ingest:
                  auth:
                    alertmanager: {type: bearer, token: %s}
                """.formatted(ALERTMANAGER_TOKEN));
        alertmanager = AlertmanagerPeer.start(dir.resolve("alertmanager"), AlertmanagerPeer.webhookConfig(
                ingest.endpoints().get("alertmanager webhook"), ALERTMANAGER_TOKEN));
        Path runbooks = Files.writeString(dir.resolve("runbooks.yaml"), RUNBOOKS);
        StreamProcessor processor = services.startProcessor("""
                http: {port: 0}
                streams: {applicationId: %s, stateDir: "%s"}
                runbooksFile: "%s"
                """.formatted(kafka.uniqueId("processor"), dir.resolve("streams-state"), runbooks));
        services.startWorkers("""
                http: {port: 0}
                mode: enforce
                workerId: e2e-worker
                safety: {allowNamespaces: [%s]}
                kubernetes: {enabled: true, watchDeployments: true, watchNamespaces: [%s]}
                alertmanager: {url: "%s"}
                notifications:
                  pagerduty: {url: "%s", routingKey: %s}
                """.formatted(GatewayCluster.NAMESPACE, GatewayCluster.NAMESPACE, alertmanager.uri(), pagerDuty.uri(),
                ROUTING_KEY));
        services.awaitReady();
        incidentApi = processor.endpoints().get("incident API");
        // ten healthy minutes, the bad release's eight, then ten of recovery, scraped every 15 s, ending about now
        traffic = new GatewayTraffic(ingest.endpoints().get("prometheus remote_write"),
                Instant.now().minus(Duration.ofMinutes(28)).truncatedTo(ChronoUnit.SECONDS));
    }


    @AfterEach
    void stopEverything() {
        if (services != null) {
            services.close();
        }
        if (alertmanager != null) {
            alertmanager.close();
        }
        if (pagerDuty != null) {
            pagerDuty.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (previousKubeconfig == null) {
            System.clearProperty(KUBECONFIG_PROPERTY);
        } else {
            System.setProperty(KUBECONFIG_PROPERTY, previousKubeconfig);
        }
    }

    @Test
    void badRolloutIsPagedSilencedRolledBackAndResolvedWithItsTimeline() throws Throwable {
        try {
            tellTheStory();
        } catch (Throwable failure) {
            System.err.println(diagnostics());
            throw failure;
        }
    }

    private void tellTheStory() throws Exception {
        // when: release 1.2.3 rolls out (the watcher publishes it)
        cluster.rollOutBadRelease();
        awaitRolloutPublished();

        // and: Prometheus fires HighErrorRate and the new pods' PodRestart through Alertmanager
        alertmanager.post(HIGH_ERROR_RATE, "inference-gateway: 12 % of requests fail with 5xx",
                traffic.scrapeTime(FIRST_BAD_SCRAPE + 8), null);
        alertmanager.post(POD_RESTART, "inference-gateway-r2-x7k2p restarts over and over", Instant.now(), null);

        // then: the on-call is paged through PagerDuty Events v2 for the gateway's incident
        String gatewayIncident = awaitIncidentOf(GatewayCluster.DEPLOYMENT, i -> true).path("id").asText();
        JsonNode page = await("PagerDuty trigger").atMost(STEP_TIMEOUT).until(pagerDuty::events, e -> !e.isEmpty())
                .get(0);
        assertThat(page.path("routing_key").asText()).isEqualTo(ROUTING_KEY);
        assertThat(page.path("event_action").asText()).isEqualTo("trigger");
        assertThat(page.path("dedup_key").asText()).isEqualTo(gatewayIncident);
        assertThat(page.path("payload").path("summary").asText()).isNotBlank();
        // Prometheus's critical HighErrorRate opens the incident P1 (default rules), which PagerDuty calls critical
        assertThat(page.path("payload").path("severity").asText()).isEqualTo("critical");
        assertThat(page.path("payload").path("source").asText()).isEqualTo(GatewayCluster.DEPLOYMENT);

        // and: the restart loop is silenced in Alertmanager, which now holds its notifications back
        String restartIncident = awaitIncidentOf("kube-state-metrics", i -> true).path("id").asText();
        JsonNode silence = await("silence in Alertmanager").atMost(STEP_TIMEOUT)
                .until(this::runstreamSilence, found -> found != null);
        assertThat(silence.path("status").path("state").asText()).isEqualTo("active");
        assertThat(silence.path("comment").asText()).contains(restartIncident);
        assertThat(matchers(silence)).containsExactlyInAnyOrderEntriesOf(Map.of("alertname", "PodRestart",
                "namespace", GatewayCluster.NAMESPACE, "pod", POD_RESTART.get("pod")));

        // when: Runstream's own measurement arrives by remote_write: 12 % 5xx for 8 minutes after 10 healthy ones
        traffic.send(0, LAST_BAD_SCRAPE, scrape -> scrape >= FIRST_BAD_SCRAPE ? 0.12 : 0.001);

        // then: the Deployment runs revision 1's pod template again
        await("rollback to revision 1").atMost(STEP_TIMEOUT)
                .until(cluster::runningImage, GatewayCluster.GOOD_IMAGE::equals);
        assertThat(cluster.deployment().getSpec().getTemplate()).isEqualTo(cluster.templateOfRevision(1));
        awaitIncidentOf(GatewayCluster.DEPLOYMENT, i -> IncidentJson.reached(i, "MITIGATED"));

        // when: the error rate recovers and Prometheus resolves its alert
        traffic.send(LAST_BAD_SCRAPE + 1, LAST_BAD_SCRAPE + 40, scrape -> 0.001);
        alertmanager.post(HIGH_ERROR_RATE, "inference-gateway: 12 % of requests fail with 5xx",
                traffic.scrapeTime(FIRST_BAD_SCRAPE + 8), Instant.now());

        // then: resolved by recovery, with alerts, actions and their results on the timeline
        JsonNode incident = awaitIncidentOf(GatewayCluster.DEPLOYMENT,
                i -> IncidentJson.reached(i, "RESOLVED"));
        assertThat(incident.path("id").asText()).isEqualTo(gatewayIncident);
        assertThat(incident.path("resolvedBy").asText()).isEqualTo("recovery");
        assertThat(incident.path("severity").asText()).isEqualTo("P1");
        // errorRate follows the live measurement (recovered by now); the peak is what the incident reached
        assertThat(incident.path("peakErrorRate").asDouble()).isGreaterThan(0.10);
        assertThat(incident.path("alerts").findValuesAsText("alertname")).containsOnly("HighErrorRate");
        assertThat(incident.path("alerts").findValuesAsText("status")).containsOnly("RESOLVED");
        // Prometheus's critical alert and Runstream's measured one have the same labels, hence one fingerprint:
        // one alert, first seen through Alertmanager, then carrying the measured value; the warning is measured only
        assertThat(incident.path("alerts").findValuesAsText("fingerprint")).doesNotHaveDuplicates();
        assertThat(incident.path("alerts")).extracting(a -> a.path("labels").path("severity").asText())
                .containsExactlyInAnyOrder("critical", "warning");
        assertThat(incident.path("timeline")).anySatisfy(entry -> {
            assertThat(entry.path("type").asText()).isEqualTo("ALERT_ATTACHED");
            assertThat(entry.path("details").path("source").asText()).isEqualTo("ALERTMANAGER");
        });
        // Entries caused by the measured alerts carry the samples' event time, which this test back-dates, so
        // only the order of the entries stamped by the wall clock is asserted.
        List<String> types = new ArrayList<>();
        incident.path("timeline").forEach(entry -> types.add(entry.path("type").asText()));
        assertThat(types).containsSubsequence("OPENED", "ESCALATED", "MITIGATED", "RESOLVED");
        assertThat(incident.path("timeline").findValuesAsText("message"))
                .contains("opened P1: inference-gateway: 12 % of requests fail with 5xx");
        assertThat(types).contains("ALERT_ATTACHED", "ACTION_ISSUED", "ACTION_RESULT",
                "ALERT_RESOLVED");
        JsonNode rollback = result(incident, "ROLLOUT_UNDO");
        assertThat(rollback.path("details").path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(rollback.path("details").path("before.revision").asText()).isEqualTo("2");
        assertThat(rollback.path("details").path("after.revision").asText()).isEqualTo("1");
        assertThat(result(incident, "PAGE").path("details").path("outcome").asText()).isEqualTo("SUCCEEDED");
        // one page (the P1 chain's page-on-call), and the resolution resolves it in PagerDuty (the close-out)
        List<JsonNode> events = await("PagerDuty resolve").atMost(STEP_TIMEOUT)
                .until(pagerDuty::events, e -> e.size() >= 2);
        assertThat(events).extracting(e -> e.path("event_action").asText()).containsExactly("trigger", "resolve");
        assertThat(events).extracting(e -> e.path("dedup_key").asText()).containsOnly(gatewayIncident);
        assertThat(pagerDuty.unreadable()).isEmpty();
    }

    private void awaitRolloutPublished() {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-rollouts");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<DeploymentEvent> rollouts = new ArrayList<>();
        try (KafkaConsumer<String, DeploymentEvent> consumer = new KafkaConsumer<>(properties,
                topics.deploymentEvents().keySerde().deserializer(),
                topics.deploymentEvents().valueSerde().deserializer())) {
            consumer.subscribe(List.of(topics.deploymentEvents().name()));
            await("rollout of revision 2 on deployment-events").atMost(STEP_TIMEOUT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> rollouts.add(r.value()));
                return rollouts.stream().anyMatch(r -> r.getRevision() == 2);
            });
        }
    }

    /** The service's only incident, in full (alerts and timeline), once it matches. */
    private JsonNode awaitIncidentOf(String service, Predicate<JsonNode> until) {
        return await("incident of " + service).atMost(STEP_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> incidentOf(service), found -> found != null && until.test(found));
    }

    private JsonNode incidentOf(String service) throws IOException, InterruptedException {
        JsonNode items = JSON.readTree(get(incidentApi + "?service=" + service)).path("items");
        assertThat(items.size()).as("incidents of %s: %s", service, items).isLessThanOrEqualTo(1);
        return items.isEmpty() ? null : JSON.readTree(get(incidentApi + "/" + items.get(0).path("id").asText()));
    }

    private JsonNode runstreamSilence() throws IOException, InterruptedException {
        for (JsonNode silence : alertmanager.silences()) {
            if ("runstream".equals(silence.path("createdBy").asText())) {
                return silence;
            }
        }
        return null;
    }

    private static Map<String, String> matchers(JsonNode silence) {
        Map<String, String> matchers = new java.util.HashMap<>();
        silence.path("matchers").forEach(m -> matchers.put(m.path("name").asText(), m.path("value").asText()));
        return matchers;
    }

    /** The final result of the action (a rollout's verified outcome, not the APPLIED that came before it). */
    private static JsonNode result(JsonNode incident, String actionType) {
        JsonNode result = EndToEndPipeline.finalResult(incident, actionType);
        if (result == null) {
            throw new AssertionError("no final " + actionType + " result on the timeline: "
                    + incident.path("timeline"));
        }
        return result;
    }

    private String get(String uri) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(uri))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException(uri + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer.body();
    }

    private String diagnostics() {
        StringBuilder out = new StringBuilder("=== end-to-end diagnostics ===\n");
        for (String service : List.of(GatewayCluster.DEPLOYMENT, "kube-state-metrics")) {
            try {
                out.append("incident of ").append(service).append(": ")
                        .append(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(incidentOf(service)))
                        .append('\n');
            } catch (Exception | AssertionError e) {
                out.append("incident of ").append(service).append(": unavailable (").append(e).append(")\n");
            }
        }
        out.append("pagerduty events: ").append(pagerDuty.events()).append('\n');
        try {
            out.append("alertmanager silences: ").append(alertmanager.silences()).append('\n');
            out.append("deployment: ").append(cluster.deployment().getSpec().getTemplate()).append('\n');
        } catch (Exception e) {
            out.append("peers unavailable: ").append(e).append('\n');
        }
        out.append(TopicTails.of(clientProperties, topics));
        out.append("--- alertmanager log\n").append(alertmanager.output());
        return out.toString();
    }
}
