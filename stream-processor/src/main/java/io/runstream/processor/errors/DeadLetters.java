package io.runstream.processor.errors;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.runstream.schemas.DeadLetterHeaders;

/**
 * Builds the dead letter for a record the topology could not read or process: its original key and value
 * bytes, with the reason in {@link DeadLetterHeaders}. Kafka Streams writes it in the same transaction as the
 * task's output, so under exactly-once a dead letter is written once and the offset moves past the record.
 */
final class DeadLetters {

    /** Streams-config key naming the dead-letters topic; set by the stream processor. */
    static final String TOPIC_CONFIG = "runstream.dead.letters.topic";
    /** Streams-config key holding the {@link MeterRegistry} to count dead letters in (optional). */
    static final String REGISTRY_CONFIG = "runstream.metrics.registry";

    private final String topic;
    private final MeterRegistry registry;

    private DeadLetters(String topic, MeterRegistry registry) {
        this.topic = topic;
        this.registry = registry;
    }

    static DeadLetters from(Map<String, ?> configs) {
        Object topic = configs.get(TOPIC_CONFIG);
        if (!(topic instanceof String name) || name.isBlank()) {
            throw new IllegalStateException(TOPIC_CONFIG + " must name the dead-letters topic");
        }
        Object registry = configs.get(REGISTRY_CONFIG);
        return new DeadLetters(name, registry instanceof MeterRegistry given ? given : Metrics.globalRegistry);
    }

    ProducerRecord<byte[], byte[]> record(ErrorHandlerContext context, String reason, Exception exception) {
        RecordHeaders headers = new RecordHeaders();
        if (context.headers() != null) {
            context.headers().forEach(headers::add);
        }
        header(headers, DeadLetterHeaders.REASON, reason);
        header(headers, DeadLetterHeaders.ERROR, String.valueOf(rootMessage(exception)));
        header(headers, DeadLetterHeaders.EXCEPTION, exception.getClass().getName());
        header(headers, DeadLetterHeaders.SOURCE_TOPIC, context.topic());
        header(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(context.partition()));
        header(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(context.offset()));
        header(headers, DeadLetterHeaders.COMPONENT, "stream-processor/" + context.processorNodeId());
        Counter.builder("runstream_dead_letters").tag("reason", reason).tag("topic", String.valueOf(context.topic()))
                .description("Records sent to the dead-letters topic").register(registry).increment();
        return new ProducerRecord<>(topic, null, context.sourceRawKey(), context.sourceRawValue(), headers);
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8));
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root == error ? error.getMessage() : error.getMessage() + "; cause: " + root.getMessage();
        // Headers are not the place for a multi-megabyte message from a hostile payload.
        return message != null && message.length() > 1000 ? message.substring(0, 1000) + "..." : message;
    }
}
