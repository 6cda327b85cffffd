package io.runstream.ingest;

import static io.runstream.ingest.IngestEndpointsIT.expect;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.runstream.common.http.HttpSettings;
import io.runstream.ingest.http.EndpointAuth;
import io.runstream.ingest.remotewrite.proto.RemoteWrite.WriteRequest;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;

/**
 * The ingest connector against hostile senders, on a real socket and a real broker: credentials on every
 * endpoint, a body dribbled slowly, huge label sets, deeply nested JSON, wrong encodings. Each gets a clear
 * JSON 4xx, produces nothing, and other senders are served meanwhile.
 */
@WithKafka
class HostileHttpIT {

    private static final String AM_TOKEN = "am-secret-token-1";
    private static final String RW_TOKEN = "rw-secret-token-2";
    private static final String PD_TOKEN = "pd-secret-token-3";
    private static final HttpSettings.Limits TIGHT = new HttpSettings.Limits(Duration.ofSeconds(30),
            Duration.ofSeconds(1), Duration.ofSeconds(2), 8192, 100);

    private ConnectorFixture fixture;
    private TopicCatalog catalog;

    @BeforeEach
    void startConnectorWithCredentialsOnEveryEndpoint(TestKafka kafka) {
        IngestSettings settings = new IngestSettings(8L * 1024 * 1024, 32, Duration.ofSeconds(5),
                Duration.ofSeconds(2), new IngestSettings.Auth(EndpointAuth.bearer(AM_TOKEN),
                        EndpointAuth.bearer(RW_TOKEN), EndpointAuth.basic("drift-job", "drift-pass"),
                        EndpointAuth.bearer(PD_TOKEN)), null);
        fixture = new ConnectorFixture(kafka.bootstrapServers(), kafka.topicPrefix(), settings,
                HttpSettings.loopback().withLimits(TIGHT), HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5)).build());
        catalog = new TopicCatalog(new TopicSettings(kafka.topicPrefix(), 1, (short) 1), RunstreamSerdes.avro());
    }

    @AfterEach
    void stopConnector() {
        fixture.close();
    }

    @Test
    void everyEndpointRefusesMissingAndWrongCredentialsWithAChallengeAndAcceptsTheRightOnes() throws Exception {
        byte[] remoteWrite = RemoteWriteBodies.snappy(RemoteWriteBodies.checkoutScrape(Instant.now().toEpochMilli()));
        List<Endpoint> endpoints = List.of(
                new Endpoint("/api/v1/alertmanager", "application/json", bytes(Payloads.ALERTMANAGER_FIRING_AND_RESOLVED),
                        "Bearer " + AM_TOKEN, "Bearer " + PD_TOKEN, 200),
                new Endpoint("/api/v1/write", "application/x-protobuf", remoteWrite, "Bearer " + RW_TOKEN,
                        "Bearer " + RW_TOKEN.toUpperCase(), 204),
                new Endpoint("/api/v1/drift", "application/json", bytes(Payloads.DRIFT_REPORT),
                        basic("drift-job", "drift-pass"), basic("drift-job", "drift-pas"), 202),
                new Endpoint("/api/v1/pagerduty", "application/json",
                        bytes(Payloads.pagerDuty("incident.acknowledged", "01AUTHTEST", "inc-1")),
                        "Bearer " + PD_TOKEN, "Bearer " + AM_TOKEN, 202));

        SoftAssertions softly = new SoftAssertions();
        for (Endpoint endpoint : endpoints) {
            for (String wrong : new String[] {null, endpoint.wrong(), "Bearer x", "Basic Og=="}) {
                HttpResponse<String> refused = endpoint.post(fixture, wrong);
                expect(softly, refused, 401, "unauthorized", "Authorization");
                softly.assertThat(refused.headers().firstValue("WWW-Authenticate")).as(endpoint.path()).isPresent();
            }
            HttpResponse<String> accepted = endpoint.post(fixture, endpoint.right());
            softly.assertThat(accepted.statusCode()).as(endpoint.path() + ": " + accepted.body())
                    .isEqualTo(endpoint.success());
        }
        softly.assertAll();
    }

    @Test
    void aBodyDribbledSlowlyIsAnswered408WhileOtherSendersAreServed() throws Exception {
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        try (Socket slow = new Socket(fixture.connector.uri().getHost(), fixture.connector.uri().getPort())) {
            slow.setSoTimeout(20_000);
            OutputStream out = slow.getOutputStream();
            // given: a webhook of 5,000 bytes announced, sent one byte every 100 ms
            out.write(("POST /api/v1/alertmanager HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + AM_TOKEN + "\r\nContent-Length: 5000\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            pacer.scheduleAtFixedRate(() -> {
                try {
                    out.write(' ');
                    out.flush();
                } catch (IOException e) {
                    pacer.shutdown();
                }
            }, 100, 100, TimeUnit.MILLISECONDS);
            long started = System.nanoTime();

            // then: another sender is served meanwhile
            assertThat(fixture.postAlerts(Payloads.ALERTMANAGER_FIRING_AND_RESOLVED).statusCode()).isEqualTo(200);
            // and the slow one gets a 408 at the body deadline, and the connection is closed
            String answer = readUntilClosed(slow.getInputStream());
            double seconds = (System.nanoTime() - started) / 1e9;
            SoftAssertions softly = new SoftAssertions();
            expect(softly, Integer.parseInt(answer.split(" ", 3)[1]), answer.substring(answer.indexOf("\r\n\r\n") + 4),
                    408, "body_timeout", null);
            softly.assertThat(answer).contains("Connection: close");
            softly.assertThat(seconds).isBetween(1.5, 10.0);
            softly.assertAll();
        } finally {
            pacer.shutdownNow();
        }
        assertThat(fixture.readAll(catalog.alerts())).hasSize(2);
    }

    @Test
    void hugeLabelSetsAreRefusedNamingTheSeriesAndProduceNothing() throws Exception {
        long now = Instant.now().toEpochMilli();
        List<String> manyLabels = new ArrayList<>(List.of("__name__", "up", "service", "checkout"));
        for (int i = 0; i < 10_000; i++) {
            manyLabels.add("label_" + i);
            manyLabels.add("v");
        }
        WriteRequest tooMany = WriteRequest.newBuilder().addTimeseries(RemoteWriteBodies.series(1, now, "__name__",
                "up", "service", "checkout")).addTimeseries(RemoteWriteBodies.series(1, now,
                manyLabels.toArray(String[]::new))).build();
        WriteRequest tooLong = WriteRequest.newBuilder().addTimeseries(RemoteWriteBodies.series(1, now, "__name__",
                "up", "service", "checkout", "pod", "p".repeat(1024 * 1024))).build();
        WriteRequest longName = WriteRequest.newBuilder().addTimeseries(RemoteWriteBodies.series(1, now, "__name__",
                "up", "n".repeat(100_000), "x")).build();
        // Two annotations of 600,000 characters: each string within the JSON limits, the record over Kafka's 1 MiB.
        String hugeAnnotation = Payloads.ALERTMANAGER_FIRING_AND_RESOLVED.replace("\"summary\":\"5xx above 5% for 5m\"",
                "\"summary\":\"" + "s".repeat(600_000) + "\",\"description\":\"" + "d".repeat(600_000) + "\"");
        String hugeString = Payloads.ALERTMANAGER_FIRING_AND_RESOLVED.replace("\"summary\":\"5xx above 5% for 5m\"",
                "\"summary\":\"" + "s".repeat(2 * 1024 * 1024) + "\"");

        SoftAssertions softly = new SoftAssertions();
        expect(softly, remoteWrite(tooMany), 400, "too_many_labels", "timeseries[1].labels");
        expect(softly, remoteWrite(tooLong), 400, "label_too_long", "timeseries[0].labels[2].value");
        expect(softly, remoteWrite(longName), 400, "label_too_long", "timeseries[0].labels[1].name");
        expect(softly, fixture.postAlerts(hugeAnnotation), 413, "record_too_large", null);
        expect(softly, fixture.postAlerts(hugeString), 400, "value_too_long", null);
        softly.assertAll();

        assertThat(fixture.readAll(catalog.metricSamples())).isEmpty();
        assertThat(fixture.readAll(catalog.alerts())).isEmpty();
        assertThat(fixture.get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void deeplyNestedJsonIsRefusedOnEveryJsonEndpointWithTheLimitNamed() throws Exception {
        String deepArray = "[".repeat(100_000) + "]".repeat(100_000);
        String deepObject = "{\"version\":\"4\",\"alerts\":[" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5000) + "]}";

        SoftAssertions softly = new SoftAssertions();
        for (String body : List.of(deepArray, deepObject)) {
            HttpResponse<String> alerts = fixture.postAlerts(body);
            expect(softly, alerts, 400, "too_deep", null);
            softly.assertThat(alerts.body()).contains("nesting depth");
            expect(softly, fixture.post("/api/v1/drift", "application/json", bytes(body), "Authorization",
                    basic("drift-job", "drift-pass")), 400, "too_deep", null);
            expect(softly, fixture.post("/api/v1/pagerduty", "application/json", bytes(body), "Authorization",
                    "Bearer " + PD_TOKEN), 400, "too_deep", null);
        }
        softly.assertAll();
    }

    @Test
    void wrongEncodingsAndCharsetsAre415AndBytesThatAreNotUtf8Are400() throws Exception {
        byte[] good = bytes(Payloads.ALERTMANAGER_FIRING_AND_RESOLVED);
        String auth = "Bearer " + AM_TOKEN;
        byte[] notUtf8 = bytes("{\"version\":\"4\",\"receiver\":\"\u0000\"}");
        notUtf8[notUtf8.length - 4] = (byte) 0xC3;

        SoftAssertions softly = new SoftAssertions();
        expect(softly, fixture.post("/api/v1/alertmanager", "application/json", good, "Authorization", auth,
                "Content-Encoding", "gzip"), 415, "unsupported_encoding", "Content-Encoding");
        expect(softly, fixture.post("/api/v1/alertmanager", "application/json; charset=utf-16", good,
                "Authorization", auth), 415, "unsupported_media_type", "Content-Type");
        expect(softly, fixture.post("/api/v1/alertmanager", "application/xml", good, "Authorization", auth), 415,
                "unsupported_media_type", "Content-Type");
        expect(softly, fixture.post("/api/v1/alertmanager", null, good, "Authorization", auth), 415,
                "unsupported_media_type", "Content-Type");
        expect(softly, fixture.post("/api/v1/alertmanager", "application/json", notUtf8, "Authorization", auth), 400,
                "malformed_json", null);
        expect(softly, fixture.post("/api/v1/write", "application/x-protobuf", good, "Authorization",
                "Bearer " + RW_TOKEN, "Content-Encoding", "snappy"), 400, "invalid_snappy", null);
        softly.assertThat(fixture.post("/api/v1/alertmanager", "application/json; charset=UTF-8", good,
                "Authorization", auth).statusCode()).isEqualTo(200);
        softly.assertAll();
    }

    private HttpResponse<String> remoteWrite(WriteRequest request) throws Exception {
        return fixture.post("/api/v1/write", "application/x-protobuf", RemoteWriteBodies.snappy(request),
                "Content-Encoding", "snappy", "Authorization", "Bearer " + RW_TOKEN);
    }

    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0;) {
                answer.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // a reset after the answer is a close as well
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString(bytes(user + ":" + password));
    }

    /** One ingest endpoint with a valid body, the right and a wrong credential, and its success status. */
    private record Endpoint(String path, String contentType, byte[] body, String right, String wrong, int success) {
        HttpResponse<String> post(ConnectorFixture fixture, String authorization) throws Exception {
            List<String> headers = new ArrayList<>();
            if (path.equals("/api/v1/write")) {
                headers.addAll(List.of("Content-Encoding", "snappy"));
            }
            if (authorization != null) {
                headers.addAll(List.of("Authorization", authorization));
            }
            return fixture.post(path, contentType, body, headers.toArray(String[]::new));
        }
    }
}
