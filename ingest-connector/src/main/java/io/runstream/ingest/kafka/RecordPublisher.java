package io.runstream.ingest.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.runstream.ingest.parse.RejectedInput;
import io.runstream.schemas.Topic;

/**
 * Produces the records of one request and returns only when Kafka has acknowledged every one of them
 * ({@code acks=all}, idempotent producer), or throws {@link KafkaUnavailable} once the bounded time is up.
 * All records of a request are handed to the producer first and awaited together, so a request of many
 * records costs one round trip, not one per record.
 */
public final class RecordPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RecordPublisher.class);

    /** Room for a record's framing and headers within the producer's request size. */
    private static final int RECORD_OVERHEAD_BYTES = 1024;

    private final KafkaProducer<byte[], byte[]> producer;
    private final Duration timeout;
    private final int maxRecordBytes;
    private final Timer latency;

    public RecordPublisher(Properties clientProperties, Duration timeout, MeterRegistry registry) {
        this.timeout = timeout;
        Properties properties = new Properties();
        // Throughput defaults a deployment may override through kafka.client. No compression: a request's
        // records spread over the partitions in batches of a few KiB, where lz4 gains little but allocates a
        // 64 KiB block per batch (a fifth of all allocation under load, docs/benchmarks.md). Where the link to
        // Kafka is the bottleneck, set compression.type=lz4 or zstd.
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        properties.putAll(clientProperties);
        // The no-loss guarantee is not negotiable: every replica in sync has the record before we answer 2xx.
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        long millis = timeout.toMillis();
        // send() must not block the request thread past the request's own budget (metadata unknown, buffer full),
        // and a record not acknowledged within the budget is failed rather than delivered later than we answered.
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(millis));
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(1000, millis - 10)));
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(millis + 10));
        this.maxRecordBytes = Integer.parseInt(properties.getProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                "1048576")) - RECORD_OVERHEAD_BYTES;
        this.producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
        this.latency = Timer.builder("runstream_ingest_produce_latency")
                .description("Time from handing a request's records to the producer until Kafka acknowledged all")
                .publishPercentileHistogram()
                .register(registry);
    }

    /**
     * Fetches the topics' metadata (and with it the producer id) now, so the first request does not spend its
     * produce budget on it. Failure is only logged: requests then pay for it, or get 503.
     */
    public void warmUp(List<String> topics) {
        for (String topic : topics) {
            try {
                producer.partitionsFor(topic);
            } catch (KafkaException e) {
                LOG.warn("No metadata for topic {} yet: {}", topic, e.getMessage());
            }
        }
    }

    /** One record to produce: its key and value. */
    public record Keyed<V>(String key, V value) {
    }

    /**
     * Produces all records to {@code topic}; returns when all are acknowledged. A record too large for Kafka is
     * the sender's doing, not Kafka's: it is refused with 413 before anything of the request is produced, since a
     * 503 would have the sender retry it forever.
     */
    public <V> void publish(Topic<String, V> topic, List<Keyed<V>> records) throws KafkaUnavailable, RejectedInput {
        if (records.isEmpty()) {
            return;
        }
        Serializer<String> keys = topic.keySerde().serializer();
        Serializer<V> values = topic.valueSerde().serializer();
        List<ProducerRecord<byte[], byte[]>> serialized = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            byte[] key = keys.serialize(topic.name(), records.get(i).key());
            byte[] value = values.serialize(topic.name(), records.get(i).value());
            if (key.length + value.length > maxRecordBytes) {
                throw new RejectedInput(413, "record_too_large", "record " + i + " of the request would be "
                        + (key.length + value.length) + " bytes, over Kafka's limit of " + maxRecordBytes
                        + " (max.request.size less framing); shorten its labels or annotations", null);
            }
            serialized.add(new ProducerRecord<>(topic.name(), key, value));
        }
        long started = System.nanoTime();
        Acknowledgements acks = new Acknowledgements(records.size());
        long deadline = started + timeout.toNanos();
        try {
            for (ProducerRecord<byte[], byte[]> record : serialized) {
                producer.send(record, acks);
                // With Kafka down each send() can block up to max.block.ms waiting for metadata: stop at the first
                // failure or at the deadline, or a request of N records would hold its thread N times the budget.
                if (acks.failure != null || System.nanoTime() - deadline > 0) {
                    throw new KafkaUnavailable("Kafka cannot take records within " + timeout.toMillis() + " ms"
                            + (acks.failure == null ? "" : ": " + acks.failure.getMessage()), acks.failure);
                }
            }
            if (!acks.await(deadline)) {
                throw new KafkaUnavailable("Kafka did not acknowledge within " + timeout.toMillis() + " ms", null);
            }
        } catch (KafkaException e) {
            throw new KafkaUnavailable("Kafka cannot take records: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailable("interrupted while waiting for Kafka", e);
        }
        if (acks.failure != null) {
            throw new KafkaUnavailable("Kafka refused the records: " + acks.failure.getMessage(), acks.failure);
        }
        latency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    /**
     * Counts down the acknowledgements of one request's records: one callback object per request rather than a
     * future per record, which matters at hundreds of thousands of samples a second.
     */
    private static final class Acknowledgements implements Callback {
        private final CountDownLatch remaining;
        private volatile Exception failure;

        Acknowledgements(int records) {
            this.remaining = new CountDownLatch(records);
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception != null && failure == null) {
                failure = exception;
            }
            remaining.countDown();
        }

        boolean await(long deadlineNanos) throws InterruptedException {
            return remaining.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
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
