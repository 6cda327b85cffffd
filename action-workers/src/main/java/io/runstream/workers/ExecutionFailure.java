package io.runstream.workers;

/** A command that was tried and failed, with the reason code and attempts its result should carry. */
public final class ExecutionFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final String reasonCode;
    private final int attempts;

    public ExecutionFailure(String reasonCode, String message, int attempts) {
        super(message);
        this.reasonCode = reasonCode;
        this.attempts = attempts;
    }

    public Execution execution() {
        return Execution.failed(reasonCode, getMessage()).withAttempts(attempts);
    }
}
