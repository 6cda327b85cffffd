package io.runstream.processor.errors;

import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that a processor throws on (an impossible value, a bug) goes to dead-letters with the exception,
 * and the stream thread keeps going instead of dying on one bad record. A record a routing step refuses
 * ({@link UnroutableRecordException}) goes there with that step's reason.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);
    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (exception instanceof UnroutableRecordException unroutable) {
            // bad input, not a bug: no stack trace
            LOG.warn("Record at {}-{}@{} cannot be routed ({}): {}; sent to dead-letters", context.topic(),
                    context.partition(), context.offset(), unroutable.reason(), unroutable.getMessage());
            return Response.resume(List.of(deadLetters.record(context, unroutable.reason(), exception)));
        }
        LOG.warn("Processor {} failed on {}-{}@{}; record sent to dead-letters", context.processorNodeId(),
                context.topic(), context.partition(), context.offset(), exception);
        return Response.resume(List.of(deadLetters.record(context, "processing", exception)));
    }
}
