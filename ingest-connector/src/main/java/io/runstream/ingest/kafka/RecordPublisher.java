package io.runstream.ingest.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.runstream.schemas.Topic;

/**
 * Produces the records of one request and returns only when Kafka has acknowledged every one of them
 * ({@code acks=all}, idempotent producer), or throws {@link KafkaUnavailable} once the bounded time is up.
 * All records of a request are handed to the producer first and awaited together, so a request of many
 * records costs one round trip, not one per record.
 */
public final class RecordPublisher implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final Duration timeout;
    private final Timer latency;

    public RecordPublisher(Properties clientProperties, Duration timeout, MeterRegistry registry) {
        this.timeout = timeout;
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        long millis = timeout.toMillis();
        // send() must not block the request thread past the request's own budget (metadata unknown, buffer full),
        // and a record not acknowledged within the budget is failed rather than delivered later than we answered.
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(millis));
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(1000, millis - 10)));
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(millis + 10));
        this.producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
        this.latency = Timer.builder("runstream_ingest_produce_latency")
                .description("Time from handing a request's records to the producer until Kafka acknowledged all")
                .publishPercentileHistogram()
                .register(registry);
    }

    /** One record to produce: its key and value. */
    public record Keyed<V>(String key, V value) {
    }

    /** Produces all records to {@code topic}; returns when all are acknowledged. */
    public <V> void publish(Topic<String, V> topic, List<Keyed<V>> records) throws KafkaUnavailable {
        if (records.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        Serializer<String> keys = topic.keySerde().serializer();
        Serializer<V> values = topic.valueSerde().serializer();
        List<Future<RecordMetadata>> pending = new ArrayList<>(records.size());
        try {
            for (Keyed<V> record : records) {
                pending.add(producer.send(new ProducerRecord<>(topic.name(),
                        keys.serialize(topic.name(), record.key()),
                        values.serialize(topic.name(), record.value()))));
            }
            for (Future<RecordMetadata> future : pending) {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException e) {
            throw new KafkaUnavailable("Kafka did not acknowledge within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new KafkaUnavailable("Kafka refused the records: " + e.getCause().getMessage(), e.getCause());
        } catch (KafkaException e) {
            throw new KafkaUnavailable("Kafka cannot take records: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailable("interrupted while waiting for Kafka", e);
        }
        latency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    /** Kafka could not take the records in time: the caller answers 503 so the sender retries. */
    public static final class KafkaUnavailable extends Exception {
        public KafkaUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
