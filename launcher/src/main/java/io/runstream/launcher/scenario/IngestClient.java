package io.runstream.launcher.scenario;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.xerial.snappy.Snappy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.runstream.ingest.remotewrite.proto.RemoteWrite.Label;
import io.runstream.ingest.remotewrite.proto.RemoteWrite.Sample;
import io.runstream.ingest.remotewrite.proto.RemoteWrite.TimeSeries;
import io.runstream.ingest.remotewrite.proto.RemoteWrite.WriteRequest;

/**
 * Sends a scenario's data to the ingest connector exactly as its real senders do: Prometheus remote_write
 * (snappy-compressed protobuf), Alertmanager's webhook (payload version 4) and drift reports. A 503 is retried
 * after its Retry-After, as Prometheus and Alertmanager would; any other refusal stops the scenario with the
 * connector's answer.
 */
public final class IngestClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 10;

    private final URI base;
    private final String bearerToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param base        the connector, e.g. http://127.0.0.1:8081
     * @param bearerToken sent on every request when not null (the connector's {@code ingest.auth.*} bearer token)
     */
    public IngestClient(URI base, String bearerToken) {
        this.base = base;
        this.bearerToken = bearerToken;
    }

    /** One sample of one series: its labels (with {@code __name__}), value and timestamp. */
    public record Point(Map<String, String> labels, double value, Instant at) {
    }

    /** One alert as Alertmanager sends it. */
    public record WebhookAlert(String fingerprint, boolean firing, Map<String, String> labels,
            Map<String, String> annotations, Instant startsAt, Instant endsAt) {
    }

    public void remoteWrite(List<Point> points) throws InterruptedException {
        WriteRequest.Builder request = WriteRequest.newBuilder();
        for (Point point : points) {
            TimeSeries.Builder series = TimeSeries.newBuilder();
            new TreeMap<>(point.labels()).forEach((name, value) ->
                    series.addLabels(Label.newBuilder().setName(name).setValue(value)));
            series.addSamples(Sample.newBuilder().setValue(point.value()).setTimestamp(point.at().toEpochMilli()));
            request.addTimeseries(series);
        }
        byte[] body;
        try {
            body = Snappy.compress(request.build().toByteArray());
        } catch (IOException e) {
            throw new ScenarioException("cannot snappy-compress a remote_write body: " + e.getMessage());
        }
        send(HttpRequest.newBuilder(base.resolve("/api/v1/write"))
                .header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), "remote_write");
    }

    public void alertmanager(List<WebhookAlert> alerts) throws InterruptedException {
        ObjectNode root = JSON.createObjectNode().put("version", "4").put("receiver", "runstream")
                .put("groupKey", "{}:{scenario=\"runstream\"}")
                .put("status", alerts.stream().anyMatch(WebhookAlert::firing) ? "firing" : "resolved")
                .put("externalURL", "http://alertmanager.invalid:9093");
        root.putObject("groupLabels");
        root.putObject("commonLabels");
        root.putObject("commonAnnotations");
        ArrayNode entries = root.putArray("alerts");
        for (WebhookAlert alert : alerts) {
            ObjectNode entry = entries.addObject().put("status", alert.firing() ? "firing" : "resolved")
                    .put("fingerprint", alert.fingerprint())
                    .put("startsAt", alert.startsAt().toString())
                    .put("endsAt", alert.endsAt() == null ? "0001-01-01T00:00:00Z" : alert.endsAt().toString())
                    .put("generatorURL", "");
            alert.labels().forEach(entry.putObject("labels")::put);
            alert.annotations().forEach(entry.putObject("annotations")::put);
        }
        postJson("/api/v1/alertmanager", root, "Alertmanager webhook");
    }

    /** A drift report (see the README's drift example). */
    public void drift(ObjectNode report) throws InterruptedException {
        postJson("/api/v1/drift", report, "drift report");
    }

    private void postJson(String path, ObjectNode body, String what) throws InterruptedException {
        send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), what);
    }

    private void send(HttpRequest.Builder request, String what) throws InterruptedException {
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> answer;
            try {
                answer = http.send(built, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new ScenarioException("cannot reach the ingest connector at " + base + " (" + what + "): "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                        + "; is the stack running?");
            }
            int status = answer.statusCode();
            if (status / 100 == 2) {
                return;
            }
            if (status == 503 && attempt < ATTEMPTS) {
                Thread.sleep(retryAfter(answer).toMillis()); // the connector asks us to come back later
                continue;
            }
            throw new ScenarioException("the ingest connector refused the " + what + " with " + status
                    + (status == 401 ? " (set the connector's token: --ingest-token-file or RUNSTREAM_INGEST_TOKEN)"
                    : "") + ": " + answer.body());
        }
    }

    private static Duration retryAfter(HttpResponse<?> answer) {
        try {
            return Duration.ofSeconds(Math.min(30, Long.parseLong(answer.headers().firstValue("Retry-After")
                    .orElse("1").trim())));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
        }
    }
}
