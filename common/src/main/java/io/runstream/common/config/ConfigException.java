package io.runstream.common.config;

/** A configuration value Runstream cannot start with; the message names the key, the value and what was expected. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
