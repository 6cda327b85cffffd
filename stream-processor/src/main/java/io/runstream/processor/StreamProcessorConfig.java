package io.runstream.processor;

import java.util.Objects;

import io.runstream.common.http.HttpSettings;
import io.runstream.common.kafka.KafkaSettings;

/** Everything the stream processor is configured with; defaults in {@code stream-processor-defaults.yaml}. */
public record StreamProcessorConfig(KafkaSettings kafka, HttpSettings http, StreamsSettings streams) {

    public static final String DEFAULTS = "stream-processor-defaults.yaml";

    public StreamProcessorConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(streams, "streams");
    }
}
