package io.runstream.schemas;

/**
 * Headers on a dead letter. The record keeps its original key and value bytes; these say where it came
 * from and why it could not be read or processed.
 */
public final class DeadLetterHeaders {

    /** Short machine-readable reason, e.g. {@code deserialization}, {@code invalid_value}. */
    public static final String REASON = "runstream.dlq.reason";
    /** Human-readable explanation: the exception message. */
    public static final String ERROR = "runstream.dlq.error";
    /** Class name of the exception. */
    public static final String EXCEPTION = "runstream.dlq.exception";
    public static final String SOURCE_TOPIC = "runstream.dlq.topic";
    public static final String SOURCE_PARTITION = "runstream.dlq.partition";
    public static final String SOURCE_OFFSET = "runstream.dlq.offset";
    /** Which Runstream component gave up on the record, e.g. {@code stream-processor/detection}. */
    public static final String COMPONENT = "runstream.dlq.component";

    private DeadLetterHeaders() {
    }
}
