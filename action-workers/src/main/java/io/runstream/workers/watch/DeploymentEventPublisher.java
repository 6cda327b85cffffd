package io.runstream.workers.watch;

import java.util.Properties;
import java.util.function.BiConsumer;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runstream.avro.DeploymentEvent;
import io.runstream.schemas.Topic;

/** Produces DeploymentEvents to deployment-events (idempotent producer, acks=all). */
public final class DeploymentEventPublisher implements BiConsumer<String, DeploymentEvent>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeploymentEventPublisher.class);

    private final Topic<String, DeploymentEvent> topic;
    private final KafkaProducer<String, DeploymentEvent> producer;

    public DeploymentEventPublisher(Properties clientProperties, Topic<String, DeploymentEvent> topic) {
        this.topic = topic;
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        this.producer = new KafkaProducer<>(properties, topic.keySerde().serializer(),
                topic.valueSerde().serializer());
    }

    @Override
    public void accept(String key, DeploymentEvent event) {
        producer.send(new ProducerRecord<>(topic.name(), key, event), (metadata, error) -> {
            if (error != null) {
                LOG.error("could not publish rollout {} revision {}: {}", key, event.getRevision(), error.toString());
            }
        });
    }

    @Override
    public void close() {
        producer.close();
    }
}
