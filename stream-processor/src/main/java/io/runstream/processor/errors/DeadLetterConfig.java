package io.runstream.processor.errors;

import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;

import io.micrometer.core.instrument.MeterRegistry;

/** Puts the dead-letter handlers and what they need into a Kafka Streams configuration. */
public final class DeadLetterConfig {

    private DeadLetterConfig() {
    }

    public static void apply(Properties streamsProperties, String deadLettersTopic, MeterRegistry registry) {
        streamsProperties.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class.getName());
        streamsProperties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterProcessingHandler.class.getName());
        // The global table's records get the same dead-letter treatment. Kafka 5.0 makes this the default and
        // deprecates the key already, hence the literal instead of the deprecated constant.
        streamsProperties.put("processing.exception.handler.global.enabled", true);
        streamsProperties.put(DeadLetters.TOPIC_CONFIG, deadLettersTopic);
        streamsProperties.put(DeadLetters.REGISTRY_CONFIG, registry);
    }
}
