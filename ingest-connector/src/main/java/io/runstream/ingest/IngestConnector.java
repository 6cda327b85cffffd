package io.runstream.ingest;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.runstream.common.http.ServiceHttpServer;
import io.runstream.common.kafka.KafkaReachability;
import io.runstream.common.kafka.Topics;
import io.runstream.common.service.Metrics;
import io.runstream.common.service.RunstreamService;
import io.runstream.ingest.http.AlertmanagerEndpoint;
import io.runstream.ingest.http.DriftEndpoint;
import io.runstream.ingest.http.PagerDutyEndpoint;
import io.runstream.ingest.http.RemoteWriteEndpoint;
import io.runstream.ingest.kafka.RecordPublisher;
import io.runstream.ingest.parse.AlertmanagerWebhookParser;
import io.runstream.ingest.parse.DriftReportParser;
import io.runstream.ingest.parse.PagerDutyWebhookParser;
import io.runstream.ingest.parse.StrictJson;
import io.runstream.ingest.remotewrite.MetricKinds;
import io.runstream.ingest.remotewrite.RemoteWriteParser;
import io.runstream.ingest.slack.SlackInteractionParser;
import io.runstream.ingest.slack.SlackInteractivityEndpoint;
import io.runstream.ingest.slack.SlackSettings;
import io.runstream.ingest.slack.SlackSignature;
import io.runstream.schemas.TopicCatalog;

/**
 * The HTTP edge of Runstream: what Alertmanager, Prometheus, drift jobs and on-call tools post to,
 * validated and produced to Kafka.
 */
public final class IngestConnector implements RunstreamService {

    public static final String NAME = "ingest-connector";
    /** Metric families whose remote-write metadata type is remembered; bounds memory against hostile senders. */
    private static final int MAX_METRIC_FAMILIES = 100_000;

    private final IngestConnectorConfig config;
    private final PrometheusMeterRegistry registry = Metrics.newRegistry(NAME);
    private final Clock clock;
    private Admin admin;
    private RecordPublisher publisher;
    private ServiceHttpServer http;

    public IngestConnector(IngestConnectorConfig config) {
        this(config, Clock.systemUTC());
    }

    IngestConnector(IngestConnectorConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    public static void main(String[] args) {
        io.runstream.common.service.ServiceMain.run(args, IngestConnectorConfig.class, IngestConnectorConfig.DEFAULTS,
                IngestConnector::new);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start() {
        TopicCatalog catalog = Topics.start(config.kafka(), config.schemas());
        admin = Admin.create(config.kafka().clientProperties());
        KafkaReachability kafka = new KafkaReachability(admin, Duration.ofSeconds(5));
        IngestSettings ingest = config.ingest();
        publisher = new RecordPublisher(config.kafka().clientProperties(), ingest.produceTimeout(), registry);
        publisher.warmUp(java.util.List.of(catalog.alerts().name(), catalog.metricSamples().name(),
                catalog.driftScores().name(), catalog.incidentCommands().name()));
        StrictJson json = new StrictJson(ingest.maxJsonDepth());
        long cap = ingest.maxBodyBytes();
        long retryAfter = Math.max(1, ingest.retryAfter().toSeconds());
        ServiceHttpServer.Builder builder = ServiceHttpServer.builder(NAME, config.http(), registry)
                .readiness(ServiceHttpServer.ReadinessCheck.of("kafka", kafka::problem))
                .route("/api/v1/alertmanager", new AlertmanagerEndpoint(new AlertmanagerWebhookParser(json, clock),
                        publisher, catalog.alerts(), ingest.auth().alertmanager(), cap, registry, retryAfter))
                .route("/api/v1/drift", new DriftEndpoint(new DriftReportParser(json), publisher,
                        catalog.driftScores(), ingest.auth().drift(), cap, registry, retryAfter))
                .route("/api/v1/pagerduty", new PagerDutyEndpoint(new PagerDutyWebhookParser(json), publisher,
                        catalog.incidentCommands(), ingest.auth().pagerduty(), cap, registry, retryAfter))
                .route("/api/v1/write", new RemoteWriteEndpoint(
                        new RemoteWriteParser(ingest.remoteWrite(), new MetricKinds(MAX_METRIC_FAMILIES)), publisher,
                        catalog.metricSamples(), ingest.auth().remoteWrite(), cap, registry, retryAfter));
        SlackSettings slack = config.slack();
        if (slack.enabled()) {
            builder.route("/api/v1/slack/interactivity", new SlackInteractivityEndpoint(
                    new SlackSignature(slack.signingSecret(), slack.maxAge(), clock),
                    new SlackInteractionParser(json, slack.users()), publisher, catalog.incidentCommands(), cap,
                    registry, retryAfter));
        }
        http = builder.build().start();
    }

    @Override
    public Map<String, URI> endpoints() {
        Map<String, URI> endpoints = new LinkedHashMap<>();
        endpoints.put("alertmanager webhook", http.uri().resolve("/api/v1/alertmanager"));
        endpoints.put("prometheus remote_write", http.uri().resolve("/api/v1/write"));
        if (config.slack().enabled()) {
            endpoints.put("slack interactivity", http.uri().resolve("/api/v1/slack/interactivity"));
        }
        endpoints.put("ingest health", http.uri().resolve("/health/ready"));
        endpoints.put("ingest metrics", http.uri().resolve("/metrics"));
        return endpoints;
    }

    /** The base URI of the HTTP server, once started. */
    public URI uri() {
        return http.uri();
    }

    @Override
    public synchronized void close() {
        if (http != null) {
            http.close();
            http = null;
        }
        if (publisher != null) {
            publisher.close();
            publisher = null;
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }
}
