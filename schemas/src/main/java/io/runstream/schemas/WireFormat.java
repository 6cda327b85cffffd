package io.runstream.schemas;

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

    /** Short name for logs and configuration, e.g. {@code avro-single-object}. */
    String name();
}
