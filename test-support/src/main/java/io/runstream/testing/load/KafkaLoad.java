package io.runstream.testing.load;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;

/**
 * The machinery of a load generator into Kafka: a {@link Pacer} calling the generator's tick, and a producer
 * with {@code acks=all}, idempotent, so a record counts as sent only once the broker acknowledged it (the
 * generator's callback runs then) and "sent" can be compared with what a {@code read_committed} consumer finds
 * downstream. What each tick sends is the generator's; sends that failed are counted here.
 */
public final class KafkaLoad implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong failedSends = new AtomicLong();
    private Pacer pacer;

    /** {@code overrides}: batching settings of the load (linger, batch size) over the client properties. */
    public KafkaLoad(Properties clientProperties, Map<String, String> overrides) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.putAll(overrides);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Calls {@code tick} every {@code period} at a fixed rate, on a thread named {@code name}. */
    public void start(String name, Duration period, IntConsumer tick) {
        pacer = Pacer.atFixedRate(name, period, tick);
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

    /** Stops ticking and waits until what was sent is acknowledged (or failed). */
    public void stop() throws InterruptedException {
        if (pacer != null) {
            pacer.stop();
        }
        producer.flush();
    }

    public long failedSends() {
        return failedSends.get();
    }

    /** Ticks that began more than a period late: the sender itself could not keep the rate. */
    public long lateTicks() {
        return pacer == null ? 0 : pacer.lateTicks();
    }

    /** Stops ticking; the producer sends what it holds (up to 30 s) before it closes. */
    @Override
    public void close() {
        if (pacer != null) {
            pacer.close();
        }
        producer.close(Duration.ofSeconds(30));
    }
}
