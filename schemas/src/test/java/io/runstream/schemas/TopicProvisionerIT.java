package io.runstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;

@WithKafka
class TopicProvisionerIT {

    @Test
    void createsMissingTopicsOnceAndAcceptsThemOnTheNextStart(TestKafka kafka) {
        TopicCatalog catalog = new TopicCatalog(new TopicSettings(kafka.topicPrefix(), 2, (short) 1),
                RunstreamSerdes.avro());
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, Duration.ofSeconds(30));

            List<String> firstStart = provisioner.ensure(catalog.specs());
            List<String> secondStart = provisioner.ensure(catalog.specs());

            assertThat(firstStart).containsExactlyInAnyOrderElementsOf(catalog.all().stream().map(Topic::name).toList());
            assertThat(secondStart).isEmpty();
        }
    }

    @Test
    void refusesToStartOnAnIncidentsTopicThatIsNotCompacted(TestKafka kafka) throws Exception {
        TopicCatalog catalog = new TopicCatalog(new TopicSettings(kafka.topicPrefix(), 1, (short) 1),
                RunstreamSerdes.avro());
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(catalog.incidents().name(), 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "delete")))).all().get();

            assertThatThrownBy(() -> new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(catalog.specs()))
                    .isInstanceOf(TopicMisconfiguredException.class)
                    .hasMessageContaining("topic " + catalog.incidents().name()
                            + " has cleanup.policy=delete but needs compact");
        }
    }
}
