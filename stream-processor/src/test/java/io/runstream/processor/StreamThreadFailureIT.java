package io.runstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.runstream.common.http.HttpSettings;
import io.runstream.common.kafka.KafkaSettings;
import io.runstream.processor.memory.RocksDbSettings;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;

/**
 * The real stream processor, its real topology (so its RocksDB stores run with the shared, bounded memory, on by
 * default) plus one test-only processor that fails on a record: the thread is replaced as the policy says, the
 * failure comes back with the record (its offset was never committed), and once the replacements are used up the
 * instance shuts down and {@code /health/live} answers 503 with the reason.
 */
@WithKafka
class StreamThreadFailureIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private StreamProcessor processor;

    @AfterEach
    void stop() {
        if (processor != null) {
            processor.close();
        }
    }

    @Test
    void aThrownExceptionInAProcessorMakesLivenessFailOnceTheThreadReplacementsAreUsedUp(TestKafka kafka)
            throws Exception {
        // given: a processor allowed one thread replacement in 10 minutes, with a processor that breaks on "poison"
        KafkaSettings kafkaSettings = new KafkaSettings(kafka.bootstrapServers(), kafka.uniqueId("failure") + ".", 1,
                (short) 1, Map.of());
        String poisonTopic = kafkaSettings.topicPrefix() + "test-poison";
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(poisonTopic, 1, (short) 1))).all().get();
        }
        processor = new StreamProcessor(new StreamProcessorConfig(kafkaSettings, new HttpSettings("127.0.0.1", 0, null),
                new StreamsSettings(kafka.uniqueId("processor"), "", "exactly_once_v2", Duration.ofMillis(100), 0, "",
                        RocksDbSettings.DEFAULT, UncaughtExceptionPolicy.REPLACE_THREAD, 1, Duration.ofMinutes(10))))
                .withTopologyExtension(topology -> topology
                        .addSource("test-poison-source", new StringDeserializer(), new StringDeserializer(), poisonTopic)
                        .addProcessor("test-poison-processor", BreaksOnPoison::new, "test-poison-source"));
        processor.start();
        await().atMost(Duration.ofSeconds(90)).until(() -> status("/health/ready") == 200);
        assertThat(status("/health/live")).isEqualTo(200);
        assertThat(metrics()).contains("runstream_component_failed{component=\"streams\",service=\"stream-processor\"} 0.0")
                .contains("runstream_rocksdb_block_cache_capacity_bytes{service=\"stream-processor\"} 1.34217728E8");

        // when: the processor throws on a record, on the thread and on its replacement
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.clientProperties(),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(poisonTopic, "model-serving", "poison")).get();
        }

        // then: the instance is dead, and says why on /health/live and in the metrics
        await().atMost(Duration.ofSeconds(90)).until(() -> processor.streams().state() == KafkaStreams.State.ERROR);
        HttpResponse<String> live = get("/health/live");
        assertThat(live.statusCode()).isEqualTo(503);
        assertThat(live.body()).contains("streams state ERROR").contains("invariant broken on poison");
        assertThat(metrics())
                .contains("runstream_component_failed{component=\"streams\",service=\"stream-processor\"} 1.0")
                .contains("runstream_stream_thread_exceptions_total{response=\"REPLACE_THREAD\",service=\"stream-processor\"} 1.0")
                .contains("runstream_stream_thread_exceptions_total{response=\"SHUTDOWN_CLIENT\",service=\"stream-processor\"} 1.0");
    }

    /**
     * A bug no dead letter can absorb: ordinary exceptions go to dead-letters (one bad record must not stop the
     * pipeline), an {@link Error} escapes the processing-exception handler to the thread's uncaught handler.
     */
    private static final class BreaksOnPoison implements Processor<String, String, Void, Void> {
        @Override
        public void process(Record<String, String> record) {
            if ("poison".equals(record.value())) {
                throw new AssertionError("invariant broken on poison for " + record.key());
            }
        }
    }

    private int status(String path) {
        try {
            return get(path).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private String metrics() throws Exception {
        return get("/metrics").body();
    }

    private HttpResponse<String> get(String path) throws Exception {
        URI base = processor.endpoints().get("processor metrics");
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
