package io.runstream.processor.errors;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runstream.schemas.registry.SchemaRegistryException;

/** An unreadable record (not Avro, unknown schema) goes to dead-letters and processing continues. */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);
    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        if (exception instanceof SchemaRegistryException registry && registry.unreachable()) {
            // the record is fine, the registry is not: failing keeps it for the replaced thread to retry
            LOG.error("Record at {}-{}@{} not read, the schema registry did not answer: {}", context.topic(),
                    context.partition(), context.offset(), exception.getMessage());
            return Response.fail();
        }
        LOG.warn("Unreadable record at {}-{}@{} sent to dead-letters: {}", context.topic(), context.partition(),
                context.offset(), exception.getMessage());
        return Response.resume(List.of(deadLetters.record(context, "deserialization", exception)));
    }
}
