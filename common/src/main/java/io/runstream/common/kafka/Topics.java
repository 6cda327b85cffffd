package io.runstream.common.kafka;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.admin.Admin;

import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicProvisioner;

/** Builds the topic catalog for a service and makes sure its topics exist before it starts. */
public final class Topics {

    private static final Duration PROVISION_TIMEOUT = Duration.ofSeconds(30);

    private Topics() {
    }

    public static TopicCatalog catalog(KafkaSettings kafka, RunstreamSerdes serdes) {
        return new TopicCatalog(kafka.topicSettings(), serdes);
    }

    /** Creates missing topics, checks existing ones; returns the names it created. */
    public static List<String> provision(KafkaSettings kafka, TopicCatalog catalog) {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            return new TopicProvisioner(admin, PROVISION_TIMEOUT).ensure(catalog.specs());
        }
    }
}
