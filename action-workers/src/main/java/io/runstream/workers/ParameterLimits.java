package io.runstream.workers;

import java.util.Map;

/**
 * Size limits every command's parameters must keep before any executor reads them, so an oversized or
 * runaway command is refused with a reason instead of reaching an API server or a chat channel.
 */
public final class ParameterLimits {

    static final int MAX_PARAMETERS = 64;
    static final int MAX_KEY_LENGTH = 256;
    static final int MAX_VALUE_LENGTH = 16 * 1024;

    private ParameterLimits() {
    }

    /** Null when the parameters are within limits, else which one is not. */
    public static String problem(Map<String, String> parameters) {
        if (parameters.size() > MAX_PARAMETERS) {
            return parameters.size() + " parameters, at most " + MAX_PARAMETERS + " allowed";
        }
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            if (e.getKey().length() > MAX_KEY_LENGTH) {
                return "parameter name of " + e.getKey().length() + " characters, at most " + MAX_KEY_LENGTH
                        + " allowed";
            }
            if (e.getValue().length() > MAX_VALUE_LENGTH) {
                return "parameter " + e.getKey() + " has " + e.getValue().length() + " characters, at most "
                        + MAX_VALUE_LENGTH + " allowed";
            }
        }
        return null;
    }
}
