package io.runstream.ingest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import io.runstream.common.http.HttpSettings;
import io.runstream.common.kafka.KafkaSettings;
import io.runstream.ingest.http.EndpointAuth;
import io.runstream.schemas.Topic;

/** A started connector on a free loopback port against a given broker, plus the means to talk to it. */
final class ConnectorFixture implements AutoCloseable {

    static final String ALERTMANAGER_TOKEN = "am-secret-token";
    /** Every test request has a deadline, so a server that never answers fails the test instead of hanging it. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    final IngestConnector connector;
    final HttpClient client;
    private final String bootstrapServers;
    private final String alertmanagerToken;

    ConnectorFixture(String bootstrapServers, String topicPrefix, IngestSettings ingest) {
        this(bootstrapServers, topicPrefix, ingest, HttpSettings.loopback(),
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    /** With the HTTP settings (e.g. TLS) and a client that can talk to them. */
    ConnectorFixture(String bootstrapServers, String topicPrefix, IngestSettings ingest, HttpSettings http,
            HttpClient client) {
        this(new KafkaSettings(bootstrapServers, topicPrefix, 1, (short) 1, Map.of()), ingest, http, client);
    }

    /** With Kafka client settings of its own (e.g. SASL). */
    ConnectorFixture(KafkaSettings kafka, IngestSettings ingest, HttpSettings http, HttpClient client) {
        this(kafka, ingest, http, client, io.runstream.ingest.slack.SlackSettings.OFF);
    }

    /** With Slack interactivity configured. */
    ConnectorFixture(KafkaSettings kafka, IngestSettings ingest, HttpSettings http, HttpClient client,
            io.runstream.ingest.slack.SlackSettings slack) {
        this.bootstrapServers = kafka.bootstrapServers();
        this.client = client;
        EndpointAuth alertmanager = ingest.auth().alertmanager();
        this.alertmanagerToken = "bearer".equals(alertmanager.type()) ? alertmanager.token() : ALERTMANAGER_TOKEN;
        IngestConnectorConfig config = new IngestConnectorConfig(kafka, http, ingest, slack);
        connector = new IngestConnector(config);
        try {
            connector.start();
        } catch (RuntimeException e) {
            connector.close();
            throw e;
        }
    }

    /** Test defaults: 64 KiB body cap, bearer auth on the Alertmanager webhook, 3 s produce budget. */
    static IngestSettings settings() {
        return new IngestSettings(64 * 1024, 32, Duration.ofSeconds(3), Duration.ofSeconds(2),
                new IngestSettings.Auth(EndpointAuth.bearer(ALERTMANAGER_TOKEN), null,
                        EndpointAuth.basic("drift-job", "drift-pass"), null), null);
    }

    URI uri(String path) {
        return connector.uri().resolve(path);
    }

    HttpResponse<String> post(String path, String contentType, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postAlerts(String json) throws Exception {
        return post("/api/v1/alertmanager", "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "Authorization", "Bearer " + alertmanagerToken);
    }

    HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Every record currently on the topic, read from the beginning to the end offsets. */
    <V> List<ConsumerRecord<String, V>> readAll(Topic<String, V> topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(properties, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, V>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    @Override
    public void close() {
        connector.close();
    }
}
