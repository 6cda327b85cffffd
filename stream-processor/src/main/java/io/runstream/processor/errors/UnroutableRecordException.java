package io.runstream.processor.errors;

/**
 * Thrown by a routing step for a record it cannot bring to the task that owns its incident (no correlation key, or
 * a key that is not the record's own). {@link DeadLetterProcessingHandler} sends it to dead-letters with
 * {@link #reason()} as the reason and counts it under that reason: never dropped silently, and the task goes on.
 */
public final class UnroutableRecordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param reason  the dead letter's reason code, e.g. {@code missing_correlation_key}
     * @param message what is wrong with this record, for the dead letter's error header
     */
    public UnroutableRecordException(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
