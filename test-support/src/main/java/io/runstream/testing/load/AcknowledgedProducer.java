package io.runstream.testing.load;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;

/**
 * The producer of a load generator: {@code acks=all} and idempotent, so a record counts as sent only once the
 * broker acknowledged it (the caller's callback runs then), and a load's "sent" can be compared with what a
 * {@code read_committed} consumer finds downstream. Sends that failed are counted.
 */
public final class AcknowledgedProducer implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong failedSends = new AtomicLong();

    /** {@code overrides}: batching settings of the load (linger, batch size) over the client properties. */
    public AcknowledgedProducer(Properties clientProperties, Map<String, String> overrides) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.putAll(overrides);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends {@code key -> value} stamped {@code at}; {@code onAcknowledged} runs when the broker has it. */
    public <K, V> void send(String topic, Serde<K> keySerde, K key, Serde<V> valueSerde, V value, Instant at,
            Runnable onAcknowledged) {
        byte[] keyBytes = keySerde.serializer().serialize(topic, key);
        byte[] valueBytes = valueSerde.serializer().serialize(topic, value);
        producer.send(new ProducerRecord<>(topic, null, at.toEpochMilli(), keyBytes, valueBytes),
                (metadata, error) -> {
                    if (error == null) {
                        onAcknowledged.run();
                    } else {
                        failedSends.incrementAndGet();
                    }
                });
    }

    public long failedSends() {
        return failedSends.get();
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
