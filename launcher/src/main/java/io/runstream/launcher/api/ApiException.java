package io.runstream.launcher.api;

/**
 * The incident API could not answer as asked. {@link #exitCode()} is what the CLI exits with: 1 the API refused
 * (bad token, unknown incident, bad request), 3 nothing answers at the address, 4 the API stayed unavailable (503).
 */
public final class ApiException extends RuntimeException {

    public static final int REFUSED = 1;
    public static final int UNREACHABLE = 3;
    public static final int UNAVAILABLE = 4;

    private final int exitCode;
    private final int status;

    public ApiException(int exitCode, int status, String message) {
        super(message);
        this.exitCode = exitCode;
        this.status = status;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The HTTP status, or -1 when nothing answered. */
    public int status() {
        return status;
    }
}
