package io.runstream.bench.ingest;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.xerial.snappy.Snappy;

import io.runstream.ingest.remotewrite.proto.RemoteWrite.Label;
import io.runstream.ingest.remotewrite.proto.RemoteWrite.Sample;
import io.runstream.ingest.remotewrite.proto.RemoteWrite.TimeSeries;
import io.runstream.ingest.remotewrite.proto.RemoteWrite.WriteRequest;

/**
 * The requests a run sends, built before it starts so the generator's cost is not measured. Both alert paths
 * carry the same alerts: a fleet of {@code POOL} distinct alerts over 50 services, in batches.
 */
final class Workload {

    static final int POOL = 10_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Instant STARTS_AT = Instant.parse("2026-11-23T10:00:00Z");

    private Workload() {
    }

    /** Alertmanager webhook payload version 4 (what Alertmanager would send the connector). */
    static List<HttpRequest> webhook(URI uri, int batch, int distinctRequests) {
        List<HttpRequest> requests = new ArrayList<>();
        for (int r = 0; r < distinctRequests; r++) {
            StringBuilder alerts = new StringBuilder();
            for (int i = 0; i < batch; i++) {
                int id = (r * batch + i) % POOL;
                alerts.append(i == 0 ? "" : ",").append("{\"status\":\"firing\",\"labels\":").append(labels(id))
                        .append(",\"annotations\":{\"summary\":\"5xx above 5% for 5m\"},\"startsAt\":\"")
                        .append(STARTS_AT).append("\",\"endsAt\":\"0001-01-01T00:00:00Z\",")
                        .append("\"generatorURL\":\"http://prometheus:9090/graph\",\"fingerprint\":\"")
                        .append(String.format(Locale.ROOT, "%016x", 0x5eed0000L + id)).append("\"}");
            }
            String body = "{\"version\":\"4\",\"groupKey\":\"{}:{alertname=\\\"HighErrorRate\\\"}\","
                    + "\"truncatedAlerts\":0,\"status\":\"firing\",\"receiver\":\"runstream\",\"groupLabels\":{},"
                    + "\"commonLabels\":{},\"commonAnnotations\":{},\"externalURL\":\"http://alertmanager:9093\","
                    + "\"alerts\":[" + alerts + "]}";
            requests.add(post(uri, "application/json", body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .build());
        }
        return requests;
    }

    /** Alertmanager's own API v2, POST /api/v2/alerts, with the same alerts (what Prometheus sends it). */
    static List<HttpRequest> alertmanagerApi(URI uri, int batch, int distinctRequests) {
        List<HttpRequest> requests = new ArrayList<>();
        for (int r = 0; r < distinctRequests; r++) {
            StringBuilder alerts = new StringBuilder("[");
            for (int i = 0; i < batch; i++) {
                int id = (r * batch + i) % POOL;
                alerts.append(i == 0 ? "" : ",").append("{\"labels\":").append(labels(id))
                        .append(",\"annotations\":{\"summary\":\"5xx above 5% for 5m\"},\"startsAt\":\"")
                        .append(STARTS_AT).append("\",\"generatorURL\":\"http://prometheus:9090/graph\"}");
            }
            requests.add(post(uri, "application/json",
                    alerts.append(']').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).build());
        }
        return requests;
    }

    private static String labels(int id) {
        return "{\"alertname\":\"HighErrorRate\",\"service\":\"svc-" + (id % 50) + "\",\"namespace\":\"shop\","
                + "\"severity\":\"critical\",\"pod\":\"pod-" + id + "\"}";
    }

    /**
     * Remote-write requests of {@code samplesPerRequest} series with one sample each, as Prometheus batches a
     * scrape: counters, gauges and histogram buckets of 50 services.
     */
    static List<HttpRequest> remoteWrite(URI uri, int samplesPerRequest, int distinctRequests) {
        String[] names = {"http_requests_total", "http_requests_in_flight", "http_request_duration_seconds_bucket",
            "process_resident_memory_bytes"};
        List<HttpRequest> requests = new ArrayList<>();
        long timestamp = STARTS_AT.toEpochMilli();
        for (int r = 0; r < distinctRequests; r++) {
            WriteRequest.Builder write = WriteRequest.newBuilder();
            for (int s = 0; s < samplesPerRequest; s++) {
                int id = r * samplesPerRequest + s;
                String name = names[id % names.length];
                TimeSeries.Builder series = TimeSeries.newBuilder()
                        .addLabels(label("__name__", name))
                        .addLabels(label("instance", "10.0." + (id % 250) + ".7:8080"))
                        .addLabels(label("job", "kubernetes-pods"))
                        .addLabels(label("namespace", "shop"))
                        .addLabels(label("service", "svc-" + (id % 50)));
                if (name.endsWith("_bucket")) {
                    series.addLabels(label("le", String.valueOf(0.005 * (1 << (id % 10)))));
                }
                write.addTimeseries(series.addSamples(Sample.newBuilder().setValue(id).setTimestamp(timestamp + r)));
            }
            try {
                requests.add(post(uri, "application/x-protobuf", Snappy.compress(write.build().toByteArray()))
                        .header("Content-Encoding", "snappy").header("X-Prometheus-Remote-Write-Version", "0.1.0")
                        .build());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return requests;
    }

    private static Label label(String name, String value) {
        return Label.newBuilder().setName(name).setValue(value).build();
    }

    private static HttpRequest.Builder post(URI uri, String contentType, byte[] body) {
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }
}
