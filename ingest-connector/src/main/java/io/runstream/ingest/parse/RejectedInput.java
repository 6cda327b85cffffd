package io.runstream.ingest.parse;

/**
 * Input the connector refuses: an HTTP status, a stable reason code (also the rejection counter's tag),
 * a message for the sender, and the field at fault when there is one.
 */
public final class RejectedInput extends Exception {

    private final int status;
    private final String reason;
    private final String field;

    public RejectedInput(int status, String reason, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
        this.field = field;
    }

    /** A 400 for a body that is readable but wrong. */
    public static RejectedInput invalid(String reason, String message, String field) {
        return new RejectedInput(400, reason, message, field);
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    /** The JSON path of the offending field (e.g. {@code alerts[2].startsAt}), or null. */
    public String field() {
        return field;
    }
}
