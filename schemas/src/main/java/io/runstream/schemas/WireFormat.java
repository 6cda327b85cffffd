package io.runstream.schemas;

import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * How Runstream's records are written to and read from Kafka. Everything that needs a serde asks
 * this interface, so a second wire format (for example a schema-registry one) can be added without
 * touching a topology or a worker.
 */
public interface WireFormat {

    /** A serde for one of Runstream's record types; unreadable bytes raise a {@code SerializationException}. */
    <T extends SpecificRecord> Serde<T> serde(Class<T> recordType);

    /**
     * Called once at a service's start with every topic's name and current value schema, before anything is written;
     * a registry format registers its subjects here. Throws, naming what failed, when the service must not start.
     */
    default void prepare(Map<String, Schema> valueSchemas) {
    }

    /** Short name for logs and configuration, e.g. {@code avro-single-object}. */
    String name();
}
