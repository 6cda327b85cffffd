package io.runstream.ingest;

import java.util.Objects;

import io.runstream.common.http.HttpSettings;
import io.runstream.common.kafka.KafkaSettings;

/** Everything the ingest connector is configured with; defaults in {@code ingest-connector-defaults.yaml}. */
public record IngestConnectorConfig(KafkaSettings kafka, HttpSettings http, IngestSettings ingest) {

    public static final String DEFAULTS = "ingest-connector-defaults.yaml";

    public IngestConnectorConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(ingest, "ingest");
    }
}
