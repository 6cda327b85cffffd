package io.runstream.schemas.registry;

import org.apache.kafka.common.KafkaException;

/**
 * The schema registry refused a call or could not be reached; the message names the registry, the call and its
 * answer. {@link #unreachable()} tells a registry that did not answer from one that said no.
 */
public class SchemaRegistryException extends KafkaException {

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(String message, int status, int errorCode) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.errorCode = 0;
    }

    /** The HTTP status, 0 when the registry did not answer. */
    public int status() {
        return status;
    }

    /** Confluent's {@code error_code} (40401 subject not found, 40403 schema not found, 409 incompatible), or 0. */
    public int errorCode() {
        return errorCode;
    }

    public boolean unreachable() {
        return status == 0;
    }
}
