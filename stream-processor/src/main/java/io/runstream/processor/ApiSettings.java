package io.runstream.processor;

/**
 * Settings of the incident API. {@code writeToken} is the bearer token that every write (acknowledge, resolve,
 * assign, comment, approve) must present; empty means writes are refused, so no deployment accepts
 * unauthenticated changes by accident. {@code readToken}, when set, is what every read of incident data (the
 * incident and service-health API, the dashboard) must present; empty leaves reads open, as they are on a loopback
 * launcher. Health and metrics never need it: probes and scrapers carry no credentials, and they expose no incident.
 */
public record ApiSettings(String writeToken, String readToken) {

    private static final int MIN_TOKEN_CHARS = 16;

    public ApiSettings {
        writeToken = checked("api.writeToken", writeToken, "refuse writes");
        readToken = checked("api.readToken", readToken, "leave reads open");
    }

    /** Writes with this token, reads open. */
    public ApiSettings(String writeToken) {
        this(writeToken, "");
    }

    public ApiSettings withWriteToken(String newWriteToken) {
        return new ApiSettings(newWriteToken, readToken);
    }

    public static ApiSettings readOnly() {
        return new ApiSettings("", "");
    }

    private static String checked(String key, String token, String whenEmpty) {
        String trimmed = token == null ? "" : token.trim();
        if (!trimmed.isEmpty() && trimmed.length() < MIN_TOKEN_CHARS) {
            // The length, never the value: this message is printed and logged.
            throw new IllegalArgumentException(key + " must be at least " + MIN_TOKEN_CHARS + " characters (or empty to "
                    + whenEmpty + "), was " + trimmed.length());
        }
        return trimmed;
    }

    @Override
    public String toString() {
        return "ApiSettings[writeToken=" + (writeToken.isEmpty() ? "<none: writes refused>" : "<redacted>")
                + ", readToken=" + (readToken.isEmpty() ? "<none: reads open>" : "<redacted>") + "]";
    }
}
