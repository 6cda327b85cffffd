package io.runstream.workers;

/** A command refused before anything was changed: malformed parameters or a safety rule; carries the reason code. */
public final class RejectedCommandException extends RuntimeException {

    private final String reasonCode;

    public RejectedCommandException(String reasonCode, String message) {
        super(message);
        this.reasonCode = reasonCode;
    }

    public String reasonCode() {
        return reasonCode;
    }
}
