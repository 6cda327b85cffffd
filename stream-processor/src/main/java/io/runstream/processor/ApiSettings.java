package io.runstream.processor;

/**
 * Settings of the incident API. {@code writeToken} is the bearer token that every write (acknowledge, resolve,
 * assign, comment, approve) must present; empty means writes are refused, so no deployment accepts
 * unauthenticated changes by accident.
 */
public record ApiSettings(String writeToken) {

    public ApiSettings {
        writeToken = writeToken == null ? "" : writeToken.trim();
        if (!writeToken.isEmpty() && writeToken.length() < 16) {
            throw new IllegalArgumentException("api.writeToken must be at least 16 characters (or empty to refuse "
                    + "writes), was " + writeToken.length());
        }
    }

    public static ApiSettings readOnly() {
        return new ApiSettings("");
    }

    @Override
    public String toString() {
        return "ApiSettings[writeToken=" + (writeToken.isEmpty() ? "<none: writes refused>" : "<redacted>") + "]";
    }
}
