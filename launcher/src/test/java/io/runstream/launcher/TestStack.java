package io.runstream.launcher;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.runstream.launcher.api.IncidentApiClient;
import io.runstream.launcher.scenario.IngestClient;
import io.runstream.testing.TestKafka;

/**
 * The whole stack in the test JVM, as {@code runstream run --scenario} starts it, on the test broker with topics
 * and an application id of its own: free ports, a write token, the shipped demo runbooks, no cluster.
 */
final class TestStack implements AutoCloseable {

    final String writeToken = WriteToken.generate();
    final Stack stack;
    private final Path runbooks;

    TestStack(TestKafka kafka, Path stateDir) throws IOException {
        this(kafka, stateDir, Map.of());
    }

    /** With more service settings, e.g. {@code RUNSTREAM_SCHEMAS_FORMAT}. */
    TestStack(TestKafka kafka, Path stateDir, Map<String, String> settings) throws IOException {
        runbooks = RunCommand.demoRunbooks();
        Map<String, String> env = new HashMap<>(settings);
        env.put("RUNSTREAM_KAFKA_TOPIC_PREFIX", kafka.uniqueId("stack") + ".");
        env.put("RUNSTREAM_KAFKA_PARTITIONS", "2");
        env.put("RUNSTREAM_STREAMS_APPLICATION_ID", kafka.uniqueId("processor"));
        env.put("RUNSTREAM_STREAMS_STATE_DIR", stateDir.toString());
        stack = Stack.start(new StackOptions(kafka.bootstrapServers(), null, 0, true, null, false, writeToken,
                runbooks), env);
        HttpClient http = HttpClient.newHttpClient();
        URI health = stack.endpoint("processor health");
        await("processor ready").atMost(Duration.ofSeconds(90)).until(() -> {
            try {
                return http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    URI api() {
        return stack.endpoint("incident API").resolve("/");
    }

    URI ingest() {
        return stack.endpoint("ingest health").resolve("/");
    }

    IncidentApiClient apiClient() {
        return new IncidentApiClient(api(), writeToken, Duration.ofSeconds(30), Clock.systemUTC());
    }

    IngestClient ingestClient() {
        return new IngestClient(ingest(), null);
    }

    @Override
    public void close() throws IOException {
        stack.close();
        Files.deleteIfExists(runbooks);
    }
}
