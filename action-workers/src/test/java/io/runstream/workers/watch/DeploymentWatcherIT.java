package io.runstream.workers.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.runstream.avro.DeploymentEvent;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicProvisioner;
import io.runstream.schemas.TopicSettings;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;
import io.runstream.workers.Commands;
import io.runstream.workers.kubernetes.KubernetesCalls;

/**
 * Rollouts on the CRUD mock reach deployment-events on the real broker: one event per new revision, keyed
 * namespace/deployment, nothing for Deployments that existed before the watcher, other namespaces, changes
 * that are not rollouts, or Runstream's own remediation rollouts.
 */
@WithKafka
@EnableKubernetesMockClient(crud = true)
class DeploymentWatcherIT {

    KubernetesClient client;
    private TopicCatalog catalog;
    private TestKafka kafka;
    private DeploymentEventPublisher publisher;
    private DeploymentWatcher watcher;

    @BeforeEach
    void givenTopicsAndARunningGateway(TestKafka kafka) {
        this.kafka = kafka;
        catalog = new TopicCatalog(new TopicSettings(kafka.uniqueId("watch") + ".", 1, (short) 1),
                RunstreamSerdes.avro());
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(catalog.specs());
        }
        client.resource(atRevision(Commands.deployment("prod", "gateway", 3), 4, "1.8.0", null)).create();
        publisher = new DeploymentEventPublisher(kafka.clientProperties(), catalog.deploymentEvents());
        watcher = new DeploymentWatcher(client, List.of("prod"), publisher, Clock.systemUTC()).start();
    }

    @AfterEach
    void stop() {
        watcher.close();
        publisher.close();
    }

    private static Deployment atRevision(Deployment deployment, long revision, String version, String cause) {
        DeploymentBuilder builder = new DeploymentBuilder(deployment).editMetadata().addToLabels("app",
                deployment.getMetadata().getName()).addToAnnotations(RolloutDetector.REVISION, Long.toString(revision))
                .endMetadata().editSpec().editTemplate().editSpec().editFirstContainer()
                .withImage("registry.example/" + deployment.getMetadata().getName() + ":" + version).endContainer()
                .endSpec().endTemplate().endSpec();
        if (cause != null) {
            builder.editMetadata().addToAnnotations(RolloutDetector.CHANGE_CAUSE, cause).endMetadata();
        }
        return builder.build();
    }

    @Test
    void publishesEachNewRolloutRevisionOnceKeyedByNamespaceAndDeployment() {
        // when: a rollout (the controller bumps the revision), a scale (no rollout), a rollout in another namespace
        client.apps().deployments().inNamespace("prod").withName("gateway")
                .edit(d -> atRevision(d, 5, "1.9.0", "deploy gateway 1.9.0 (PR #812)"));
        client.apps().deployments().inNamespace("prod").withName("gateway").scale(5);
        client.resource(atRevision(Commands.deployment("staging", "gateway", 1), 9, "2.0.0", null)).create();
        client.apps().deployments().inNamespace("prod").withName("gateway")
                .edit(d -> atRevision(d, 6, "1.9.1", "hotfix"));
        // Runstream's own undo (its generation annotation matches) and the controller's revision bump after it
        client.apps().deployments().inNamespace("prod").withName("gateway").edit(d -> new DeploymentBuilder(d)
                .editMetadata().addToAnnotations(KubernetesCalls.OWN_GENERATION,
                        Long.toString(d.getMetadata().getGeneration() + 1)).endMetadata().editSpec().editTemplate()
                .editSpec().editFirstContainer().withImage("registry.example/gateway:1.9.0").endContainer().endSpec()
                .endTemplate().endSpec().build());
        client.apps().deployments().inNamespace("prod").withName("gateway")
                .edit(d -> new DeploymentBuilder(d).editMetadata().addToAnnotations(RolloutDetector.REVISION, "7")
                        .endMetadata().build());
        client.apps().deployments().inNamespace("prod").withName("gateway")
                .edit(d -> atRevision(d, 8, "2.0.0", "release 2.0.0"));

        // then
        List<ConsumerRecord<String, DeploymentEvent>> events = new ArrayList<>();
        try (KafkaConsumer<String, DeploymentEvent> consumer = consumer()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(events::add);
                return events.stream().anyMatch(e -> e.value().getRevision() == 8);
            });
        }
        assertThat(events).extracting(ConsumerRecord::key).containsOnly("prod/gateway");
        assertThat(events).extracting(e -> e.value().getRevision()).containsExactly(5L, 6L, 8L);
        assertThat(events.get(2).value().getPreviousRevision()).isEqualTo(7L);
        DeploymentEvent rollout = events.get(0).value();
        assertThat(rollout.getPreviousRevision()).isEqualTo(4L);
        assertThat(rollout.getService()).isEqualTo("gateway");
        assertThat(rollout.getImages()).containsEntry("gateway", "registry.example/gateway:1.9.0");
        assertThat(rollout.getChangeCause()).isEqualTo("deploy gateway 1.9.0 (PR #812)");
        assertThat(rollout.getRolledOutAt()).isNotNull();
        assertThat(watcher.problem()).isNull();
    }

    private KafkaConsumer<String, DeploymentEvent> consumer() {
        Properties properties = kafka.clientProperties();
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.uniqueId("events-reader"));
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, DeploymentEvent> consumer = new KafkaConsumer<>(properties,
                catalog.deploymentEvents().keySerde().deserializer(),
                catalog.deploymentEvents().valueSerde().deserializer());
        consumer.subscribe(List.of(catalog.deploymentEvents().name()));
        return consumer;
    }
}
