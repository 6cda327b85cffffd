package io.runstream.processor.api;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.runstream.avro.IncidentCommand;
import io.runstream.schemas.PartitionKeys;
import io.runstream.schemas.Topic;

/** Publishes API commands to incident-commands, answering only once Kafka has acknowledged them. */
public final class CommandPublisher implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final Topic<String, IncidentCommand> topic;
    private final KafkaProducer<String, IncidentCommand> producer;

    public CommandPublisher(Properties clientProperties, Topic<String, IncidentCommand> topic) {
        this.topic = topic;
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT.toMillis()));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT.toMillis() - 1000));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(TIMEOUT.toMillis()));
        this.producer = new KafkaProducer<>(props, topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    /** Sends and waits for the acknowledgement; {@link NotReady} when Kafka does not take it in time. */
    void publish(IncidentCommand command) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), null, command.getIssuedAt().toEpochMilli(),
                    PartitionKeys.incidentCommand(command), command)).get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw new NotReady("Kafka did not take the command: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotReady("interrupted while publishing the command");
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
