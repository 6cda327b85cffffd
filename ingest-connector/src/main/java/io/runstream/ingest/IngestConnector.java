package io.runstream.ingest;

import java.net.URI;
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
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;

/**
 * The HTTP edge of Runstream: what Alertmanager, Prometheus, drift jobs and on-call tools post to,
 * validated and produced to Kafka.
 */
public final class IngestConnector implements RunstreamService {

    public static final String NAME = "ingest-connector";

    private final IngestConnectorConfig config;
    private final PrometheusMeterRegistry registry = Metrics.newRegistry(NAME);
    private Admin admin;
    private ServiceHttpServer http;

    public IngestConnector(IngestConnectorConfig config) {
        this.config = config;
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
        TopicCatalog catalog = Topics.catalog(config.kafka(), RunstreamSerdes.avro());
        Topics.provision(config.kafka(), catalog);
        admin = Admin.create(config.kafka().clientProperties());
        KafkaReachability kafka = new KafkaReachability(admin, Duration.ofSeconds(5));
        http = ServiceHttpServer.builder(NAME, config.http(), registry)
                .readiness(ServiceHttpServer.ReadinessCheck.of("kafka", kafka::problem))
                .build()
                .start();
    }

    @Override
    public Map<String, URI> endpoints() {
        Map<String, URI> endpoints = new LinkedHashMap<>();
        endpoints.put("ingest health", http.uri().resolve("/health/ready"));
        endpoints.put("ingest metrics", http.uri().resolve("/metrics"));
        return endpoints;
    }

    @Override
    public synchronized void close() {
        if (http != null) {
            http.close();
            http = null;
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }
}
