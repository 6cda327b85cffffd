package io.runstream.common.kafka;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.admin.Admin;

import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicProvisioner;
import io.runstream.schemas.registry.SchemaSettings;

/** Builds the topic catalog for a service and makes sure its topics exist before it starts. */
public final class Topics {

    private static final Duration PROVISION_TIMEOUT = Duration.ofSeconds(30);

    private Topics() {
    }

    public static TopicCatalog catalog(KafkaSettings kafka, RunstreamSerdes serdes) {
        return new TopicCatalog(kafka.topicSettings(), serdes);
    }

    /**
     * A service's start: the catalog in the wire format {@code schemas} chooses, its topics created or checked,
     * and its value schemas registered where the format needs a registry (a refusal or an unreachable registry
     * fails the start, naming the subject).
     */
    public static TopicCatalog start(KafkaSettings kafka, SchemaSettings schemas) {
        RunstreamSerdes serdes = RunstreamSerdes.from(schemas);
        TopicCatalog catalog = catalog(kafka, serdes);
        provision(kafka, catalog);
        serdes.prepare(catalog);
        return catalog;
    }

    /** Creates missing topics, checks existing ones; returns the names it created. */
    public static List<String> provision(KafkaSettings kafka, TopicCatalog catalog) {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            return new TopicProvisioner(admin, PROVISION_TIMEOUT).ensure(catalog.specs());
        }
    }
}
