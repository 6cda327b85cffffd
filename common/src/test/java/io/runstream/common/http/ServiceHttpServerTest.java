package io.runstream.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

class ServiceHttpServerTest {

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void servesLivenessReadinessAndMetrics() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("runstream_test_events").increment();
        AtomicReference<String> kafkaProblem = new AtomicReference<>("Kafka unreachable: TimeoutException");

        try (ServiceHttpServer server = ServiceHttpServer.builder("test", HttpSettings.loopback(), registry)
                .readiness(ServiceHttpServer.ReadinessCheck.of("kafka", kafkaProblem::get))
                .build().start()) {
            assertThat(server.uri().getHost()).isEqualTo("127.0.0.1");

            assertThat(get(server.uri(), "/health/live").statusCode()).isEqualTo(200);
            HttpResponse<String> notReady = get(server.uri(), "/health/ready");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).contains("Kafka unreachable");

            kafkaProblem.set(null);
            assertThat(get(server.uri(), "/health/ready").statusCode()).isEqualTo(200);
            assertThat(get(server.uri(), "/metrics").body()).contains("runstream_test_events_total 1.0");
            assertThat(get(server.uri(), "/no-such-path").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void answers503OnLivenessWithTheReasonWhileAComponentHasStoppedAndCountsIt() throws Exception {
        // given: a service whose command loop runs
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicReference<String> loopProblem = new AtomicReference<>();

        try (ServiceHttpServer server = ServiceHttpServer.builder("test", HttpSettings.loopback(), registry)
                .liveness(ServiceHttpServer.ReadinessCheck.of("commands", loopProblem::get))
                .build().start()) {
            assertThat(get(server.uri(), "/health/live").statusCode()).isEqualTo(200);
            assertThat(get(server.uri(), "/metrics").body()).contains("runstream_component_failed{component=\"commands\"} 0.0");

            // when: the loop stops for good
            loopProblem.set("command loop stopped: java.lang.IllegalStateException: producer fenced");

            // then: liveness fails with the reason, and the gauge says so
            HttpResponse<String> dead = get(server.uri(), "/health/live");
            assertThat(dead.statusCode()).isEqualTo(503);
            assertThat(dead.body()).contains("\"status\":\"DOWN\"").contains("producer fenced");
            assertThat(get(server.uri(), "/metrics").body()).contains("runstream_component_failed{component=\"commands\"} 1.0");
        }
    }

    private HttpResponse<String> get(URI base, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
