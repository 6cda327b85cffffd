package io.runstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.runstream.avro.MetricKind;
import io.runstream.avro.MetricSample;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;
import io.runstream.testing.peers.PrometheusPeer;

/**
 * Debian's Prometheus 2.42, started on loopback, scrapes a tiny exporter of the checkout service's metrics and
 * remote-writes them to the connector.
 */
@WithKafka
class RealPrometheusIT {

    /** What the checkout service would expose: a counter, a gauge and a latency histogram. */
    private static final String EXPOSITION = """
            # HELP http_requests_total Requests served.
            # TYPE http_requests_total counter
            http_requests_total{service="checkout",status="200"} 1027
            http_requests_total{service="checkout",status="500"} 31
            # HELP http_requests_in_flight Requests being served.
            # TYPE http_requests_in_flight gauge
            http_requests_in_flight{service="checkout"} 3
            # HELP http_request_duration_seconds Request latency.
            # TYPE http_request_duration_seconds histogram
            http_request_duration_seconds_bucket{service="checkout",le="0.1"} 700
            http_request_duration_seconds_bucket{service="checkout",le="0.5"} 1000
            http_request_duration_seconds_bucket{service="checkout",le="+Inf"} 1058
            http_request_duration_seconds_sum{service="checkout"} 131.2
            http_request_duration_seconds_count{service="checkout"} 1058
            """;

    private ConnectorFixture fixture;
    private TopicCatalog catalog;
    private HttpServer exporter;
    private PrometheusPeer prometheus;

    @BeforeEach
    void start(TestKafka kafka, @TempDir Path directory) throws IOException {
        fixture = new ConnectorFixture(kafka.bootstrapServers(), kafka.topicPrefix(), ConnectorFixture.settings());
        catalog = new TopicCatalog(new TopicSettings(kafka.topicPrefix(), 1, (short) 1), RunstreamSerdes.avro());
        exporter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        exporter.createContext("/metrics", exchange -> {
            byte[] body = EXPOSITION.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        exporter.start();
        String config = """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: checkout-api
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                remote_write:
                  - url: %s
                    queue_config:
                      batch_send_deadline: 1s
                    metadata_config:
                      send_interval: 1s
                """.formatted(exporter.getAddress().getPort(), fixture.uri("/api/v1/write"));
        prometheus = PrometheusPeer.start(directory, config);
    }

    @AfterEach
    void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (exporter != null) {
            exporter.stop(0);
        }
        fixture.close();
    }

    @Test
    void scrapedCounterGaugeAndBucketsArriveAsMetricSamplesKeyedByService() throws Exception {
        Set<String> wanted = Set.of("http_requests_total", "http_requests_in_flight",
                "http_request_duration_seconds_bucket", "up");

        List<ConsumerRecord<String, MetricSample>> records = Awaitility
                .await("samples remote-written by " + prometheus).atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> fixture.readAll(catalog.metricSamples()),
                        all -> all.stream().map(r -> r.value().getName()).collect(Collectors.toSet()).containsAll(wanted));

        Map<String, MetricSample> byName = records.stream()
                .collect(Collectors.toMap(r -> r.value().getName(), ConsumerRecord::value, (a, b) -> b));
        assertThat(byName.get("http_requests_total").getKind()).isEqualTo(MetricKind.COUNTER);
        assertThat(byName.get("http_requests_in_flight").getKind()).isEqualTo(MetricKind.GAUGE);
        assertThat(byName.get("http_requests_in_flight").getValue()).isEqualTo(3.0);
        assertThat(byName.get("http_request_duration_seconds_bucket").getKind()).isEqualTo(MetricKind.HISTOGRAM_BUCKET);
        assertThat(byName.get("http_request_duration_seconds_bucket").getLabels()).containsKey("le")
                .containsEntry("job", "checkout-api");
        assertThat(records).filteredOn(r -> r.value().getName().startsWith("http_"))
                .extracting(ConsumerRecord::key).containsOnly("checkout");
        // Prometheus's own "up" series has no service label: keyed by the job, the configured fallback.
        assertThat(records).filteredOn(r -> r.value().getName().equals("up"))
                .extracting(ConsumerRecord::key).containsOnly("checkout-api");
        assertThat(fixture.get("/metrics").body()).doesNotContain("runstream_ingest_rejections_total{endpoint=\"remote_write\"");
    }
}
