package io.runstream.launcher.scenario;

import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.runstream.avro.DeploymentEvent;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.Topic;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;
import io.runstream.schemas.registry.SchemaSettings;

/** Publishes a scenario's rollout to {@code deployment-events} and waits for Kafka's acknowledgement. */
public final class KafkaRolloutAnnouncer implements RolloutAnnouncer {

    private final Topic<String, DeploymentEvent> topic;
    private final KafkaProducer<String, DeploymentEvent> producer;

    public KafkaRolloutAnnouncer(Properties clientProperties, String topicPrefix) {
        this(clientProperties, topicPrefix, SchemaSettings.DEFAULTS);
    }

    /** Writing in the wire format {@code schemas} chooses, as the deployment's services do. */
    public KafkaRolloutAnnouncer(Properties clientProperties, String topicPrefix, SchemaSettings schemas) {
        RunstreamSerdes serdes = RunstreamSerdes.from(schemas);
        TopicCatalog catalog = new TopicCatalog(new TopicSettings(topicPrefix, 1, (short) 1), serdes);
        serdes.prepare(catalog);
        this.topic = catalog.deploymentEvents();
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        this.producer = new KafkaProducer<>(properties, topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    @Override
    public void announce(String key, DeploymentEvent rollout) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), key, rollout)).get(15, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new ScenarioException("cannot publish the rollout to " + topic.name() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScenarioException("interrupted while publishing the rollout");
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
